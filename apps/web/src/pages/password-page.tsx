import { ChangePasswordView } from '../features/auth/change-password-view';

export function PasswordPage() {
  return (
    <>
      <title>Change password · Flightdeck</title>
      <ChangePasswordView />
    </>
  );
}
