import type { ReactNode } from 'react';
import { TextField } from './text-field';

export const PASSWORDS_DO_NOT_MATCH = 'The two passwords do not match.';

// The confirm field's error, unless the password itself already has one.
export function confirmPasswordError(password: string, confirm: string, passwordError?: string) {
  return !passwordError && confirm !== password ? PASSWORDS_DO_NOT_MATCH : undefined;
}

interface PasswordFieldsProps {
  label: string;
  confirmLabel: string;
  hint?: ReactNode;
  password: string;
  confirm: string;
  onPasswordChange: (event: React.ChangeEvent<HTMLInputElement>) => void;
  onConfirmChange: (event: React.ChangeEvent<HTMLInputElement>) => void;
  passwordError?: string | undefined;
  confirmError?: string | undefined;
  // Form field names, for password managers.
  names?: { password: string; confirm: string };
}

// A new password and its confirmation.
export function PasswordFields(props: PasswordFieldsProps) {
  return (
    <>
      <TextField
        label={props.label}
        hint={props.hint}
        error={props.passwordError}
        type="password"
        name={props.names?.password}
        autoComplete="new-password"
        value={props.password}
        onChange={props.onPasswordChange}
      />
      <TextField
        label={props.confirmLabel}
        error={props.confirmError}
        type="password"
        name={props.names?.confirm}
        autoComplete="new-password"
        value={props.confirm}
        onChange={props.onConfirmChange}
      />
    </>
  );
}
