import { LoginView } from '../features/auth/login-view';

export function LoginPage() {
  return (
    <>
      <title>Sign in · Flightdeck</title>
      <LoginView />
    </>
  );
}
