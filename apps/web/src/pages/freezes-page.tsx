import { FreezesView } from '../features/freezes/freezes-view';

export function FreezesPage() {
  return (
    <>
      <title>Freezes · Flightdeck</title>
      <FreezesView />
    </>
  );
}
