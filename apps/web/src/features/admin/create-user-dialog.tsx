import { ApiError, createUserBodySchema, endpoints, type Role } from '@flightdeck/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Field } from '../../components/ui/field';
import { FormDialog } from '../../components/ui/form-dialog';
import { TextField } from '../../components/ui/text-field';
import { api } from '../../config/api';
import { queryKeys } from '../../config/query-keys';
import { fieldErrorsFromApi, fieldErrorsFromZod, type FieldErrors } from '../../lib/form-errors';
import { ROLE_DESCRIPTION } from '../auth/role-meta';
import { RoleSelect } from './role-select';

const EMPTY = { email: '', name: '', role: 'viewer' as Role, password: '' };

export function CreateUserDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [values, setValues] = useState(EMPTY);
  const [errors, setErrors] = useState<FieldErrors>({});

  const create = useMutation({
    mutationFn: (body: { email: string; name: string; role: Role; password?: string }) =>
      api.request(endpoints.createUser, { body }),
    meta: { inlineError: true },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.users.all() });
      close();
    },
    onError: (error) => {
      if (error instanceof ApiError && error.status === 409) setErrors({ email: error.message });
      else setErrors(fieldErrorsFromApi(error));
    },
  });

  function close() {
    setValues(EMPTY);
    setErrors({});
    create.reset();
    onClose();
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body = {
      email: values.email.trim(),
      name: values.name,
      role: values.role,
      password: values.password || undefined,
    };
    const parsed = createUserBodySchema.safeParse(body);
    const found = parsed.success ? {} : fieldErrorsFromZod(parsed.error);
    setErrors(found);
    if (!parsed.success) return;
    create.mutate(body);
  };

  const set = (field: 'email' | 'name' | 'password') => (event: React.ChangeEvent<HTMLInputElement>) =>
    setValues((previous) => ({ ...previous, [field]: event.target.value }));

  const unexpected =
    create.error && !(create.error instanceof ApiError && [400, 409].includes(create.error.status))
      ? create.error
      : null;

  return (
    <FormDialog
      open={open}
      title="Create a user"
      onClose={close}
      formId="create-user-form"
      onSubmit={submit}
      submitLabel="Create user"
      pendingLabel="Creating…"
      pending={create.isPending}
      error={unexpected}
      errorTitle="Not created"
    >
      <TextField
        label="E-mail"
        error={errors.email}
        type="email"
        autoComplete="off"
        value={values.email}
        onChange={set('email')}
      />
      <TextField
        label="Name"
        error={errors.name}
        autoComplete="off"
        value={values.name}
        onChange={set('name')}
      />
      <Field label="Global role" hint={ROLE_DESCRIPTION[values.role]}>
        {(ids) => (
          <RoleSelect
            id={ids.id}
            aria-describedby={ids['aria-describedby']}
            value={values.role}
            onChange={(role) => setValues((previous) => ({ ...previous, role }))}
          />
        )}
      </Field>
      <TextField
        label="Initial password (optional)"
        error={errors.password}
        hint="At least 12 characters; share it privately and ask them to change it. Leave empty for people who sign in with single sign-on."
        type="password"
        autoComplete="new-password"
        value={values.password}
        onChange={set('password')}
      />
    </FormDialog>
  );
}
