import { FreezesView } from '../features/freezes/freezes-view';
import { DeploymentWindowsSection } from '../features/windows/deployment-windows-section';

export function FreezesPage() {
  return (
    <>
      <title>Freezes · Flightdeck</title>
      <FreezesView>
        <DeploymentWindowsSection />
      </FreezesView>
    </>
  );
}
