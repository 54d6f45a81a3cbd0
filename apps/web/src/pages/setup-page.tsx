import { SetupView } from '../features/auth/setup-view';

export function SetupPage() {
  return (
    <>
      <title>Set up · Flightdeck</title>
      <SetupView />
    </>
  );
}
