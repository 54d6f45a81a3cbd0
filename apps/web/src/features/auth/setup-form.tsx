import { ApiError, endpoints, setupBodySchema } from '@flightdeck/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { UserPlus } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { InlineError } from '../../components/ui/field';
import { FormError } from '../../components/ui/form-error';
import { confirmPasswordError, PasswordFields } from '../../components/ui/password-fields';
import { TextField } from '../../components/ui/text-field';
import { api } from '../../config/api';
import { paths } from '../../config/paths';
import { queryKeys } from '../../config/query-keys';
import { fieldErrorsFromApi, fieldErrorsFromZod, type FieldErrors } from '../../lib/form-errors';
import { applyAuthState } from './auth-query';

interface SetupValues {
  setupToken: string;
  name: string;
  email: string;
  password: string;
  confirm: string;
}

const EMPTY: SetupValues = { setupToken: '', name: '', email: '', password: '', confirm: '' };

// Checked in the browser with the server's own schema first, so the person sees every problem at once.
export function validateSetup(values: SetupValues): FieldErrors {
  const { confirm, ...body } = values;
  const parsed = setupBodySchema.safeParse({ ...body, setupToken: body.setupToken.trim() });
  const errors = parsed.success ? {} : fieldErrorsFromZod(parsed.error);
  const mismatch = confirmPasswordError(values.password, confirm, errors.password);
  if (mismatch) errors.confirm = mismatch;
  return errors;
}

export function SetupForm() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [values, setValues] = useState<SetupValues>(EMPTY);
  const [errors, setErrors] = useState<FieldErrors>({});

  const setup = useMutation({
    mutationFn: (body: Omit<SetupValues, 'confirm'>) => api.request(endpoints.completeSetup, { body }),
    meta: { authFlow: true },
    onSuccess: (state) => {
      applyAuthState(queryClient, state);
      void navigate(paths.board, { replace: true });
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'INVALID_SETUP_TOKEN') {
        setErrors({ setupToken: error.message || 'This is not the setup token of this server.' });
      } else {
        setErrors(fieldErrorsFromApi(error));
      }
    },
  });

  const change = (field: keyof SetupValues) => (event: React.ChangeEvent<HTMLInputElement>) => {
    setValues((previous) => ({ ...previous, [field]: event.target.value }));
    if (errors[field]) setErrors((previous) => ({ ...previous, [field]: undefined }));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = validateSetup(values);
    setErrors(found);
    if (Object.values(found).some(Boolean)) return;
    const { confirm: _confirm, ...body } = values;
    setup.mutate({ ...body, setupToken: body.setupToken.trim(), email: body.email.trim() });
  };

  const alreadyDone = setup.error instanceof ApiError && setup.error.code === 'SETUP_ALREADY_DONE';
  const otherError =
    setup.error &&
    !alreadyDone &&
    !(
      setup.error instanceof ApiError &&
      (setup.error.code === 'INVALID_SETUP_TOKEN' || setup.error.status === 400)
    )
      ? setup.error
      : null;

  return (
    <form className="form-stack" onSubmit={submit} noValidate aria-label="Create the first admin">
      {alreadyDone ? (
        <InlineError title="Setup is already done">
          <p>Someone has already created the first admin on this server.</p>
          <p>
            <Link
              to={paths.login}
              onClick={() => void queryClient.invalidateQueries({ queryKey: queryKeys.auth.session() })}
            >
              Go to sign-in
            </Link>
          </p>
        </InlineError>
      ) : null}
      <FormError error={otherError} title="Setup failed" />
      <TextField
        label="Setup token"
        error={errors.setupToken}
        hint="Paste the contents of the setup-token file."
        inputClassName="mono"
        name="setupToken"
        autoComplete="off"
        spellCheck={false}
        value={values.setupToken}
        onChange={change('setupToken')}
      />
      <TextField
        label="Your name"
        error={errors.name}
        name="name"
        autoComplete="name"
        value={values.name}
        onChange={change('name')}
      />
      <TextField
        label="E-mail"
        error={errors.email}
        type="email"
        name="email"
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        value={values.email}
        onChange={change('email')}
      />
      <PasswordFields
        label="Password"
        confirmLabel="Confirm password"
        hint="At least 12 characters. A few unrelated words make a strong one."
        names={{ password: 'password', confirm: 'confirm' }}
        password={values.password}
        confirm={values.confirm}
        onPasswordChange={change('password')}
        onConfirmChange={change('confirm')}
        passwordError={errors.password}
        confirmError={errors.confirm}
      />
      <button type="submit" className="button button-primary button-block" disabled={setup.isPending}>
        <UserPlus size={15} aria-hidden />
        {setup.isPending ? 'Creating the admin…' : 'Create admin and sign in'}
      </button>
    </form>
  );
}
