import { ApiError, changePasswordBodySchema, endpoints } from '@flightdeck/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { CircleCheck } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { InlineNote } from '../../components/ui/field';
import { FormError } from '../../components/ui/form-error';
import { confirmPasswordError, PasswordFields } from '../../components/ui/password-fields';
import { TextField } from '../../components/ui/text-field';
import { PageHeader } from '../../components/ui/page-header';
import { api } from '../../config/api';
import { queryKeys } from '../../config/query-keys';
import { fieldErrorsFromApi, fieldErrorsFromZod, type FieldErrors } from '../../lib/form-errors';
import type { AuthState } from '@flightdeck/contracts';
import { useMe } from './use-auth';

const EMPTY = { currentPassword: '', newPassword: '', confirm: '' };

export function ChangePasswordView() {
  const me = useMe();
  const queryClient = useQueryClient();
  const [values, setValues] = useState(EMPTY);
  const [errors, setErrors] = useState<FieldErrors>({});

  const change = useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) =>
      api.request(endpoints.changePassword, { body }),
    meta: { inlineError: true },
    onSuccess: (user) => {
      setValues(EMPTY);
      queryClient.setQueryData<AuthState>(queryKeys.auth.session(), (state) =>
        state ? { ...state, user } : state,
      );
    },
    onError: (error) => {
      if (error instanceof ApiError && error.status === 403) {
        setErrors({ currentPassword: error.message });
      } else setErrors(fieldErrorsFromApi(error));
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const { confirm, ...body } = values;
    const parsed = changePasswordBodySchema.safeParse(body);
    const found = parsed.success ? {} : fieldErrorsFromZod(parsed.error);
    const mismatch = confirmPasswordError(body.newPassword, confirm, found.newPassword);
    if (mismatch) found.confirm = mismatch;
    setErrors(found);
    if (Object.values(found).some(Boolean)) return;
    change.mutate(body);
  };

  const set = (field: keyof typeof EMPTY) => (event: React.ChangeEvent<HTMLInputElement>) =>
    setValues((previous) => ({ ...previous, [field]: event.target.value }));

  const unexpected =
    change.error && !(change.error instanceof ApiError && [400, 403].includes(change.error.status))
      ? change.error
      : null;

  return (
    <div className="page page-narrow">
      <PageHeader title="Change password" description={`For ${me.email}.`} />
      {!me.hasPassword ? (
        <InlineNote>
          You sign in with single sign-on and have no Flightdeck password. Change it at your identity
          provider.
        </InlineNote>
      ) : (
        <form className="form-stack panel" onSubmit={submit} noValidate aria-label="Change password">
          {change.isSuccess ? (
            <InlineNote tone="success" icon={<CircleCheck size={16} aria-hidden />}>
              Password changed. Your other sessions were signed out; this one stays signed in.
            </InlineNote>
          ) : null}
          <FormError error={unexpected} title="Not changed" />
          {/* Lets password managers pair the new password with the account. */}
          <input type="email" name="username" autoComplete="username" value={me.email} readOnly hidden />
          <TextField
            label="Current password"
            error={errors.currentPassword}
            type="password"
            autoComplete="current-password"
            value={values.currentPassword}
            onChange={set('currentPassword')}
          />
          <PasswordFields
            label="New password"
            confirmLabel="Confirm new password"
            hint="At least 12 characters."
            password={values.newPassword}
            confirm={values.confirm}
            onPasswordChange={set('newPassword')}
            onConfirmChange={set('confirm')}
            passwordError={errors.newPassword}
            confirmError={errors.confirm}
          />
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={change.isPending}>
              {change.isPending ? 'Changing…' : 'Change password'}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
