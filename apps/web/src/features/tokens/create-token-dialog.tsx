import { createTokenBodySchema, endpoints, TOKEN_SCOPES, type TokenScope } from '@flightdeck/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { TriangleAlert } from 'lucide-react';
import { useId, useState, type FormEvent } from 'react';
import { CopyButton } from '../../components/ui/copy-button';
import { Dialog } from '../../components/ui/dialog';
import { Field, InlineNote } from '../../components/ui/field';
import { FormDialog } from '../../components/ui/form-dialog';
import { TextField } from '../../components/ui/text-field';
import { api } from '../../config/api';
import { queryKeys } from '../../config/query-keys';
import { ROLE_LABEL } from '../auth/role-meta';
import { useMe } from '../auth/use-auth';
import { fieldErrorsFromApi, fieldErrorsFromZod, type FieldErrors } from '../../lib/form-errors';
import { EXPIRY_OPTIONS, SCOPE_META, type ExpiryValue } from './token-scopes';

interface CreateTokenDialogProps {
  open: boolean;
  onClose: () => void;
}

export function CreateTokenDialog({ open, onClose }: CreateTokenDialogProps) {
  const me = useMe();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<TokenScope[]>(['read']);
  const [expiry, setExpiry] = useState<ExpiryValue>('90');
  const [errors, setErrors] = useState<FieldErrors>({});

  const create = useMutation({
    mutationFn: (body: { name: string; scopes: TokenScope[]; expiresInDays: number | null }) =>
      api.request(endpoints.createMyToken, { body }),
    meta: { inlineError: true },
    // The list is refetched, never patched with this answer: the secret must live only in this dialog.
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.tokens.mine() }),
    onError: (error) => setErrors(fieldErrorsFromApi(error)),
  });

  const close = () => {
    // Dropping the mutation drops the only copy of the secret in the app.
    create.reset();
    setName('');
    setScopes(['read']);
    setExpiry('90');
    setErrors({});
    onClose();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const expiresInDays = EXPIRY_OPTIONS.find((option) => option.value === expiry)?.days ?? null;
    const body = { name: name.trim(), scopes, expiresInDays };
    const parsed = createTokenBodySchema.safeParse(body);
    const found = parsed.success ? {} : fieldErrorsFromZod(parsed.error);
    setErrors(found);
    if (!parsed.success) return;
    create.mutate(body);
  };

  const toggle = (scope: TokenScope) =>
    setScopes((previous) =>
      previous.includes(scope) ? previous.filter((item) => item !== scope) : [...previous, scope],
    );

  if (create.data) {
    const created = create.data;
    return (
      <Dialog
        open={open}
        title="Copy your new token"
        onClose={close}
        footer={
          <button type="button" className="button button-primary" onClick={close}>
            I have copied it
          </button>
        }
      >
        <div className="form-stack">
          <InlineNote tone="warning" icon={<TriangleAlert size={16} aria-hidden />}>
            <strong>You will not see this token again.</strong> Copy it now and store it in your secret
            manager. If you lose it, revoke it and create a new one.
          </InlineNote>
          <Field label={`Secret of “${created.name}”`}>
            {(ids) => (
              <div className="secret-row">
                <input
                  {...ids}
                  className="input mono secret-value"
                  readOnly
                  value={created.token}
                  onFocus={(event) => event.currentTarget.select()}
                />
                <CopyButton value={created.token} />
              </div>
            )}
          </Field>
          <p className="muted small">
            Use it as <code>Authorization: Bearer &lt;token&gt;</code>.
          </p>
        </div>
      </Dialog>
    );
  }

  const unexpected =
    create.error && Object.keys(fieldErrorsFromApi(create.error)).length === 0 ? create.error : null;

  return (
    <FormDialog
      open={open}
      title="Create an API token"
      onClose={close}
      formId="create-token-form"
      onSubmit={submit}
      submitLabel="Create token"
      pendingLabel="Creating…"
      pending={create.isPending}
      error={unexpected}
      errorTitle="Not created"
    >
      <TextField
        label="Name"
        error={errors.name}
        hint="Say where it is used, e.g. “GitHub Actions: checkout-api”."
        autoComplete="off"
        value={name}
        onChange={(event) => setName(event.target.value)}
      />
      <fieldset className="fieldset" aria-describedby={errors.scopes ? 'token-scopes-error' : undefined}>
        <legend className="field-label">Scopes</legend>
        <p className="field-hint">
          A token never does more than your own role ({ROLE_LABEL[me.role]}) allows.
        </p>
        <div className="check-list">
          {TOKEN_SCOPES.map((scope) => (
            <ScopeOption
              key={scope}
              scope={scope}
              checked={scopes.includes(scope)}
              allowed={me.permissions.includes(SCOPE_META[scope].needs)}
              roleLabel={ROLE_LABEL[me.role]}
              onToggle={() => toggle(scope)}
            />
          ))}
        </div>
        {errors.scopes ? (
          <p id="token-scopes-error" className="field-error">
            {errors.scopes}
          </p>
        ) : null}
      </fieldset>
      <Field label="Expires after">
        {(ids) => (
          <select
            {...ids}
            className="input select"
            value={expiry}
            onChange={(event) => setExpiry(event.target.value as ExpiryValue)}
          >
            {EXPIRY_OPTIONS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      {expiry === 'never' ? (
        <InlineNote tone="warning" icon={<TriangleAlert size={16} aria-hidden />}>
          A token that never expires stays valid until someone revokes it, even if it leaks. Prefer an expiry
          and rotate it.
        </InlineNote>
      ) : null}
    </FormDialog>
  );
}

function ScopeOption(props: {
  scope: TokenScope;
  checked: boolean;
  allowed: boolean;
  roleLabel: string;
  onToggle: () => void;
}) {
  const { scope, checked, allowed, roleLabel, onToggle } = props;
  const id = useId();
  const meta = SCOPE_META[scope];
  return (
    <label className="check-row" data-disabled={!allowed || undefined}>
      <input
        type="checkbox"
        checked={checked}
        disabled={!allowed}
        onChange={onToggle}
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-description`}
      />
      <span>
        <span id={`${id}-title`} className="check-title mono">
          {meta.label}
        </span>
        <span id={`${id}-description`} className="check-description">
          {meta.description}
          {allowed ? null : ` Not available: your role (${roleLabel}) cannot do this.`}
        </span>
      </span>
    </label>
  );
}
