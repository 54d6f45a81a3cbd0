import {
  ApiError,
  deploymentStatusSchema,
  updateStageBodySchema,
  type StageDetail,
} from '@flightdeck/contracts';
import { useQuery } from '@tanstack/react-query';
import {
  CircleAlert,
  ClipboardCheck,
  FlaskConical,
  GitBranch,
  KeyRound,
  Webhook,
  Workflow,
  type LucideIcon,
} from 'lucide-react';
import { useState, type FormEvent, type ReactNode } from 'react';
import { Link } from 'react-router';
import { Badge } from '../../components/ui/badge';
import { CopyButton } from '../../components/ui/copy-button';
import { Dialog } from '../../components/ui/dialog';
import { Field, InlineError, InlineNote } from '../../components/ui/field';
import { FormError } from '../../components/ui/form-error';
import { Skeleton } from '../../components/ui/skeleton';
import { TextField } from '../../components/ui/text-field';
import { fieldErrorsFromApi, fieldErrorsFromZod, type FieldErrors } from '../../lib/form-errors';
import { instanceQueryOptions } from '../instance/instance-query';
import { StagePolicySection } from '../approvals/stage-policy-section';
import { StageChecklistSection } from '../checklist/checklist-editor';
import { pushToast } from '../notifications/toast-store';
import { deploymentPath } from '../service/service-paths';
import { DRIVER_LABEL } from '../service/stage-meta';
import { DeploymentStatusPill } from '../status/deployment-status-pill';
import { HEALTH_STATUS_META } from '../status/status-meta';
import { GitHubActionsFields } from './github-actions-fields';
import { friendlyErrors, githubActionsErrors, requiredChecksErrors } from './github-actions-model';
import { RequiredChecksEditor } from './required-checks-editor';
import { RequiredChecksStatus } from './required-checks-status';
import {
  buildBody,
  DURATION_UNITS,
  durationSeconds,
  formatSeconds,
  formFromStage,
  isEditableDriver,
  storedSecret,
  storedToken,
  type DurationInput,
  type DurationUnit,
  type EditableDriver,
  type StageSettingsForm,
} from './stage-settings-model';
import { stageQueryOptions, useUpdateStage } from './stage-settings-queries';
import { StageSettingsReadOnly } from './stage-settings-readonly';
import './stage-settings.css';

export interface StageSettingsTarget {
  stageId: string;
  serviceSlug: string;
  serviceName: string;
  environmentName: string;
}

interface StageSettingsDialogProps {
  target: StageSettingsTarget;
  // Whether the user may change the stage (useCanEditStages); otherwise the settings show as text.
  canEdit: boolean;
  onClose: () => void;
}

const FORM_ID = 'stage-settings-form';

const DRIVER_CHOICES: readonly {
  kind: EditableDriver;
  Icon: LucideIcon;
  title: string;
  description: string;
  simulated?: boolean;
}[] = [
  {
    kind: 'sandbox',
    Icon: FlaskConical,
    title: 'Sandbox',
    description: 'Built-in simulated target: nothing real is deployed.',
    simulated: true,
  },
  {
    kind: 'record',
    Icon: ClipboardCheck,
    title: 'Record',
    description: 'Deploys run elsewhere and report back through the API.',
  },
  {
    kind: 'webhook',
    Icon: Webhook,
    title: 'Webhook',
    description: 'Flightdeck sends a signed POST to your endpoint.',
  },
  {
    kind: 'argocd',
    Icon: GitBranch,
    title: 'Argo CD',
    description: 'Flightdeck syncs an Argo CD application to the release and follows its health.',
  },
  {
    kind: 'github_actions',
    Icon: Workflow,
    title: 'GitHub Actions',
    description: 'Flightdeck dispatches a workflow with the release and follows its run.',
  },
];

// The fields the server may name; anything else shows as a banner instead of being lost.
const FIELDS = new Set([
  'driver',
  'driver.config.durationSeconds',
  'driver.config.failureRate',
  'driver.config.health',
  'driver.config.url',
  'driver.config.secret',
  'driver.config.statusUrl',
  'driver.config.timeoutSeconds',
  'driver.config.maxAttempts',
  'driver.config.pollIntervalSeconds',
  'driver.config.serverUrl',
  'driver.config.token',
  'driver.config.application',
  'driver.config.project',
  'driver.config.appNamespace',
  'driver.config.mapping.parameter',
  'driver.config.mapping.image',
  'driver.config.owner',
  'driver.config.repo',
  'driver.config.workflow',
  'driver.config.ref',
  'driver.config.inputs',
  'requiredChecks',
  'soakSeconds',
  'deadlineSeconds',
]);
// Rows: each workflow input's name or value, each required check.
const ROW_FIELD = /^(driver\.config\.inputs\.\d+\.(name|value)|requiredChecks\.\d+)$/;
const shownByField = (field: string) => FIELDS.has(field) || ROW_FIELD.test(field);

export function StageSettingsDialog({ target, canEdit, onClose }: StageSettingsDialogProps) {
  const stageQuery = useQuery(stageQueryOptions(target.serviceSlug, target.stageId));
  const update = useUpdateStage(target.serviceSlug, target.stageId);
  const stage = stageQuery.data;
  // Where GitHub's web UI is (github.com or an Enterprise Server), for links to the workflow.
  const githubWebUrl = useQuery(instanceQueryOptions()).data?.githubWebUrl ?? null;

  return (
    <Dialog
      open
      size="lg"
      title={`${target.environmentName} settings`}
      onClose={onClose}
      busy={update.isPending}
      footer={
        !canEdit ? (
          <button type="button" className="button" onClick={onClose}>
            Done
          </button>
        ) : (
          <>
            <button type="button" className="button" onClick={onClose} disabled={update.isPending}>
              Cancel
            </button>
            <button
              type="submit"
              form={FORM_ID}
              className="button button-primary"
              disabled={update.isPending || !stage}
            >
              {update.isPending ? 'Saving…' : 'Save settings'}
            </button>
          </>
        )
      }
    >
      {stage ? (
        <>
          {canEdit ? (
            <SettingsForm
              stage={stage}
              target={target}
              update={update}
              onSaved={onClose}
              githubWebUrl={githubWebUrl}
            />
          ) : (
            <StageSettingsReadOnly
              stage={stage}
              environmentName={target.environmentName}
              githubWebUrl={githubWebUrl}
            />
          )}
          {/* Saved on their own (separate APIs), so outside the settings form; each shows admins' controls. */}
          <StagePolicySection
            serviceSlug={target.serviceSlug}
            serviceName={target.serviceName}
            stageId={target.stageId}
            environmentName={target.environmentName}
          />
          <StageChecklistSection serviceSlug={target.serviceSlug} stageId={target.stageId} />
        </>
      ) : stageQuery.error ? (
        <InlineError title="The stage settings could not be loaded">
          <p>{stageQuery.error.message}</p>
          <button type="button" className="button button-small" onClick={() => void stageQuery.refetch()}>
            Try again
          </button>
        </InlineError>
      ) : (
        <div className="stage-settings-loading" role="status" aria-label="Loading the stage settings">
          <Skeleton height="64px" />
          <Skeleton height="34px" />
          <Skeleton height="34px" />
        </div>
      )}
    </Dialog>
  );
}

interface SettingsFormProps {
  stage: StageDetail;
  target: StageSettingsTarget;
  update: ReturnType<typeof useUpdateStage>;
  onSaved: () => void;
  githubWebUrl: string | null;
}

function SettingsForm({ stage, target, update, onSaved, githubWebUrl }: SettingsFormProps) {
  const [initial] = useState(() => formFromStage(stage));
  const [form, setForm] = useState<StageSettingsForm>(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [nothingChanged, setNothingChanged] = useState(false);
  const secretStored = storedSecret(stage);
  const tokenStored = storedToken(stage);

  const patch = (next: Partial<StageSettingsForm>) => {
    setNothingChanged(false);
    setForm((current) => ({ ...current, ...next }));
  };
  const patchSandbox = (next: Partial<StageSettingsForm['sandbox']>) =>
    patch({ sandbox: { ...form.sandbox, ...next } });
  const patchWebhook = (next: Partial<StageSettingsForm['webhook']>) =>
    patch({ webhook: { ...form.webhook, ...next } });
  const patchArgo = (next: Partial<StageSettingsForm['argocd']>) =>
    patch({ argocd: { ...form.argocd, ...next } });
  // An edited field's (or row list's) old error goes, so a fixed value is not still shown as wrong.
  const dropErrors = (prefixes: string[]) =>
    setErrors((current) =>
      Object.fromEntries(
        Object.entries(current).filter(([field]) => !prefixes.some((prefix) => field.startsWith(prefix))),
      ),
    );
  const patchGitHub = (next: Partial<StageSettingsForm['githubActions']>) => {
    dropErrors(Object.keys(next).map((key) => `driver.config.${key}`));
    patch({ githubActions: { ...form.githubActions, ...next } });
  };
  // Schema and server words replaced by ones about the field; inputs and checks mapped onto their rows.
  const friendly = (found: FieldErrors) =>
    friendlyErrors(found, form.githubActions.inputs, form.requiredChecks);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const { body, errors: local } = buildBody(form, initial);
    Object.assign(local, rangeErrors(form));
    if (form.kind === 'github_actions' && body.driver)
      Object.assign(local, githubActionsErrors(form.githubActions));
    if (body.requiredChecks) Object.assign(local, requiredChecksErrors(form.requiredChecks));
    if (form.kind === 'webhook' && body.driver && !secretStored && form.webhook.secret === '') {
      local['driver.config.secret'] = 'Required: this stage has no webhook secret stored yet.';
    }
    if (form.kind === 'argocd' && body.driver && !tokenStored && form.argocd.token === '') {
      local['driver.config.token'] = 'Required: this stage has no Argo CD token stored yet.';
    }
    const changed = Object.keys(body).length > 0;
    // The contract's own schema checks the rest, so messages match the server's.
    const parsed = changed ? updateStageBodySchema.safeParse(body) : null;
    const found = {
      ...(parsed && !parsed.success ? friendly(fieldErrorsFromZod(parsed.error)) : {}),
      ...local,
    };
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    if (!changed) {
      setNothingChanged(true);
      return;
    }
    update.mutate(body, {
      onSuccess: (saved) => {
        pushToast({
          id: `stage-settings:${saved.id}`,
          tone: 'success',
          title: `${target.environmentName} settings saved`,
          message: `${target.serviceName}: ${DRIVER_LABEL[saved.driverKind]} driver, soak ${formatSeconds(saved.soakSeconds)}, deadline ${formatSeconds(saved.deadlineSeconds)}.`,
          code: null,
        });
        onSaved();
      },
      onError: (error) => setErrors(friendly(fieldErrorsFromApi(error))),
    });
  };

  const error = update.error;
  const busy = error instanceof ApiError && error.code === 'STAGE_BUSY' ? error : null;
  const anyByField = Object.keys(errors).some(shownByField);
  const unexpected =
    error && !busy && !(error instanceof ApiError && error.status === 400 && anyByField) ? error : null;
  const current = stage.driverKind;

  return (
    <form id={FORM_ID} className="form-stack" onSubmit={submit} noValidate>
      <p className="stage-settings-lead">
        How Flightdeck deploys <strong>{target.serviceName}</strong> to {target.environmentName}, and how long
        it waits.
      </p>
      {busy ? <BusyNotice error={busy} /> : null}
      <FormError error={unexpected} title="Not saved" />
      {nothingChanged ? <InlineNote>Nothing changed, so there is nothing to save.</InlineNote> : null}

      <fieldset className="fieldset">
        <legend className="field-label">Driver</legend>
        {!isEditableDriver(current) ? (
          <InlineNote tone="warning" icon={<CircleAlert size={16} aria-hidden />}>
            This stage uses the {DRIVER_LABEL[current]} driver, which these settings do not configure. Pick a
            driver below only to replace it.
          </InlineNote>
        ) : null}
        <div className="driver-cards">
          {DRIVER_CHOICES.map(({ kind, Icon, title, description, simulated }) => (
            <label key={kind} className="driver-card">
              <input
                type="radio"
                name="driver-kind"
                value={kind}
                checked={form.kind === kind}
                onChange={() => patch({ kind })}
                aria-describedby={`driver-${kind}-description`}
              />
              <span className="driver-card-head">
                <Icon size={16} aria-hidden className="driver-card-icon" />
                <span className="driver-card-title">{title}</span>
                {simulated ? (
                  <Badge tone="accent" variant="outline">
                    Simulated
                  </Badge>
                ) : null}
                {current === kind ? <span className="driver-card-current">Current</span> : null}
              </span>
              <span id={`driver-${kind}-description`} className="driver-card-description">
                {description}
              </span>
            </label>
          ))}
        </div>
        {errors.driver ? <p className="field-error">{errors.driver}</p> : null}
      </fieldset>

      {form.kind === 'sandbox' ? (
        <fieldset className="fieldset driver-fields">
          <legend className="field-label">Sandbox</legend>
          <p className="field-hint">
            Each deployment takes the duration, fails at the failure rate (fixed per deployment, so a restart
            does not change its fate) and then reports the health below.
          </p>
          <div className="stage-settings-grid">
            <TextField
              label="Duration (seconds)"
              hint="0 to 3600."
              inputMode="numeric"
              error={errors['driver.config.durationSeconds']}
              value={form.sandbox.durationSeconds}
              onChange={(event) => patchSandbox({ durationSeconds: event.target.value })}
            />
            <TextField
              label="Failure rate (%)"
              hint="0 to 100."
              inputMode="decimal"
              error={errors['driver.config.failureRate']}
              value={form.sandbox.failureRatePercent}
              onChange={(event) => patchSandbox({ failureRatePercent: event.target.value })}
            />
            <Field label="Health after a rollout" error={errors['driver.config.health']}>
              {(ids) => (
                <select
                  {...ids}
                  className="input select"
                  value={form.sandbox.health}
                  onChange={(event) =>
                    patchSandbox({ health: event.target.value as StageSettingsForm['sandbox']['health'] })
                  }
                >
                  {(['healthy', 'degraded', 'missing'] as const).map((health) => (
                    <option key={health} value={health}>
                      {HEALTH_STATUS_META[health].label}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
        </fieldset>
      ) : null}

      {form.kind === 'record' ? (
        <InlineNote icon={<ClipboardCheck size={16} aria-hidden />}>
          <p>
            Flightdeck records each deployment and waits. Your pipeline reports how it went with{' '}
            <code>POST /api/v1/deployments/{'{id}'}/report</code> (<code>running</code>,{' '}
            <code>succeeded</code> or <code>failed</code>), using an API token with the{' '}
            <strong>deploy</strong> scope. Nothing reported by the deadline ends it timed out.
          </p>
        </InlineNote>
      ) : null}

      {form.kind === 'webhook' ? (
        <WebhookFields
          values={form.webhook}
          onChange={patchWebhook}
          errors={errors}
          secretStored={secretStored}
        />
      ) : null}

      {form.kind === 'argocd' ? (
        <ArgoCdFields values={form.argocd} onChange={patchArgo} errors={errors} tokenStored={tokenStored} />
      ) : null}

      {form.kind === 'github_actions' ? (
        <GitHubActionsFields
          values={form.githubActions}
          onChange={patchGitHub}
          errors={errors}
          githubWebUrl={githubWebUrl}
        />
      ) : null}

      <RequiredChecksEditor
        rows={form.requiredChecks}
        onChange={(requiredChecks) => {
          dropErrors(['requiredChecks']);
          patch({ requiredChecks });
        }}
        errors={errors}
      />
      <RequiredChecksStatus stageId={stage.id} savedChecks={stage.requiredChecks} />

      <fieldset className="fieldset">
        <legend className="field-label">Timing</legend>
        <div className="stage-settings-grid stage-settings-grid-2">
          <DurationField
            label="Soak time"
            hint="How long a release must run here before a downstream stage may take it. 0: no wait. Up to 7 days."
            error={errors.soakSeconds}
            value={form.soak}
            onChange={(soak) => patch({ soak })}
          />
          <DurationField
            label="Deadline"
            hint="A deployment not finished this long after it was queued ends timed out. 30 seconds to 1 day."
            error={errors.deadlineSeconds}
            value={form.deadline}
            onChange={(deadline) => patch({ deadline })}
          />
        </div>
      </fieldset>
    </form>
  );
}

// Limits named in the user's units (percent, not a 0–1 rate), before the contract's generic messages.
function rangeErrors(form: StageSettingsForm): FieldErrors {
  const errors: FieldErrors = {};
  const check = (field: string, text: string, min: number, max: number, what: string, whole = true) => {
    const value = Number(text.trim());
    if (text.trim() === '' || !Number.isFinite(value) || (whole && !Number.isInteger(value))) {
      errors[field] = `Enter ${whole ? 'a whole number' : 'a number'} from ${min} to ${max}.`;
    } else if (value < min || value > max) {
      errors[field] = `Must be from ${min} to ${max} ${what}.`;
    }
  };
  if (form.kind === 'sandbox') {
    check('driver.config.durationSeconds', form.sandbox.durationSeconds, 0, 3600, 'seconds');
    check('driver.config.failureRate', form.sandbox.failureRatePercent, 0, 100, '%', false);
  }
  if (form.kind === 'webhook') {
    if (form.webhook.url.trim() === '') errors['driver.config.url'] = 'Enter the URL of your endpoint.';
    check('driver.config.timeoutSeconds', form.webhook.timeoutSeconds, 1, 60, 'seconds');
    check('driver.config.maxAttempts', form.webhook.maxAttempts, 1, 10, 'attempts');
    check('driver.config.pollIntervalSeconds', form.webhook.pollIntervalSeconds, 1, 300, 'seconds');
  }
  if (form.kind === 'argocd') {
    const a = form.argocd;
    if (a.serverUrl.trim() === '')
      errors['driver.config.serverUrl'] = 'Enter the URL of your Argo CD server.';
    if (a.application.trim() === '') errors['driver.config.application'] = 'Enter the application’s name.';
    if (a.mappingKind === 'helmParameter' && a.mappingTarget.trim() === '') {
      errors['driver.config.mapping.parameter'] = 'Enter the Helm parameter that holds the image tag.';
    }
    if (a.mappingKind === 'kustomizeImage' && a.mappingTarget.trim() === '') {
      errors['driver.config.mapping.image'] = 'Enter the image whose tag Argo CD overrides.';
    }
    check('driver.config.timeoutSeconds', a.timeoutSeconds, 1, 60, 'seconds');
    check('driver.config.pollIntervalSeconds', a.pollIntervalSeconds, 1, 300, 'seconds');
  }
  if (form.kind === 'github_actions') {
    check('driver.config.pollIntervalSeconds', form.githubActions.pollIntervalSeconds, 1, 300, 'seconds');
  }
  const soak = durationSeconds(form.soak);
  if (soak !== null && (soak < 0 || soak > 604_800)) errors.soakSeconds = 'Must be from 0 to 7 days.';
  const deadline = durationSeconds(form.deadline);
  if (deadline !== null && (deadline < 30 || deadline > 86_400)) {
    errors.deadlineSeconds = 'Must be from 30 seconds to 1 day.';
  }
  return errors;
}

function BusyNotice({ error }: { error: ApiError }) {
  const details = error.details as { deploymentId?: unknown; status?: unknown } | undefined;
  const deploymentId = typeof details?.deploymentId === 'string' ? details.deploymentId : null;
  const status = deploymentStatusSchema.safeParse(details?.status);
  return (
    <div className="inline-alert" data-tone="warning" role="alert">
      <CircleAlert size={16} aria-hidden className="inline-alert-icon" />
      <div>
        <p className="inline-alert-title">Not saved: this stage is busy</p>
        <div className="inline-alert-body">
          <p>A deployment is running on this stage; change the driver when it has finished.</p>
          {deploymentId ? (
            <p className="stage-settings-busy">
              {status.success ? <DeploymentStatusPill status={status.data} /> : null}
              <Link to={deploymentPath(deploymentId)}>View the deployment</Link>
            </p>
          ) : null}
        </div>
      </div>
    </div>
  );
}

interface WebhookFieldsProps {
  values: StageSettingsForm['webhook'];
  onChange: (next: Partial<StageSettingsForm['webhook']>) => void;
  errors: FieldErrors;
  secretStored: boolean;
}

function WebhookFields({ values, onChange, errors, secretStored }: WebhookFieldsProps) {
  const [revealed, setRevealed] = useState(false);
  const generate = () => {
    const bytes = crypto.getRandomValues(new Uint8Array(32));
    onChange({ secret: Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('') });
    setRevealed(true);
  };
  return (
    <fieldset className="fieldset driver-fields">
      <legend className="field-label">Webhook</legend>
      <TextField
        label="Endpoint URL"
        hint="Flightdeck POSTs each deployment here, signed with the secret below."
        type="url"
        inputMode="url"
        autoComplete="off"
        placeholder="https://deploy.example.com/flightdeck"
        error={errors['driver.config.url']}
        value={values.url}
        onChange={(event) => onChange({ url: event.target.value })}
      />
      <Field
        label="Secret"
        error={errors['driver.config.secret']}
        hint={
          revealed && values.secret ? (
            'Copy it into your endpoint’s configuration now: Flightdeck never shows it again.'
          ) : secretStored ? (
            <>
              <KeyRound size={12} aria-hidden /> A secret is stored — leave empty to keep it.
            </>
          ) : (
            'At least 16 characters. Requests and callbacks are signed with it (HMAC-SHA256); it cannot be read back.'
          )
        }
      >
        {(ids) => (
          <div className="secret-row">
            <input
              {...ids}
              className="input mono"
              type={revealed ? 'text' : 'password'}
              autoComplete="new-password"
              spellCheck={false}
              placeholder={secretStored ? 'Stored (unchanged)' : undefined}
              value={values.secret}
              onChange={(event) => onChange({ secret: event.target.value })}
            />
            {revealed && values.secret ? (
              <CopyButton value={values.secret} />
            ) : (
              <button type="button" className="button" onClick={generate}>
                Generate
              </button>
            )}
          </div>
        )}
      </Field>
      <TextField
        label="Status URL (optional)"
        hint={
          <>
            Leave empty if your endpoint reports back by signed callback. When set, Flightdeck polls it with a
            signed GET every poll interval; <code>{'{deploymentId}'}</code> becomes the deployment’s id and{' '}
            <code>{'{externalId}'}</code> the id your endpoint answered with.
          </>
        }
        type="url"
        inputMode="url"
        autoComplete="off"
        placeholder="https://deploy.example.com/flightdeck/{externalId}"
        error={errors['driver.config.statusUrl']}
        value={values.statusUrl}
        onChange={(event) => onChange({ statusUrl: event.target.value })}
      />
      <div className="stage-settings-grid">
        <TextField
          label="Timeout (seconds)"
          hint="Per request, 1 to 60."
          inputMode="numeric"
          error={errors['driver.config.timeoutSeconds']}
          value={values.timeoutSeconds}
          onChange={(event) => onChange({ timeoutSeconds: event.target.value })}
        />
        <TextField
          label="Attempts"
          hint="To start a deployment, 1 to 10."
          inputMode="numeric"
          error={errors['driver.config.maxAttempts']}
          value={values.maxAttempts}
          onChange={(event) => onChange({ maxAttempts: event.target.value })}
        />
        <TextField
          label="Poll interval (seconds)"
          hint="1 to 300."
          inputMode="numeric"
          error={errors['driver.config.pollIntervalSeconds']}
          value={values.pollIntervalSeconds}
          onChange={(event) => onChange({ pollIntervalSeconds: event.target.value })}
        />
      </div>
    </fieldset>
  );
}

interface ArgoCdFieldsProps {
  values: StageSettingsForm['argocd'];
  onChange: (next: Partial<StageSettingsForm['argocd']>) => void;
  errors: FieldErrors;
  tokenStored: boolean;
}

function ArgoCdFields({ values, onChange, errors, tokenStored }: ArgoCdFieldsProps) {
  const targetField =
    values.mappingKind === 'helmParameter'
      ? 'driver.config.mapping.parameter'
      : 'driver.config.mapping.image';
  return (
    <fieldset className="fieldset driver-fields">
      <legend className="field-label">Argo CD</legend>
      <p className="field-hint">
        Each deployment syncs the application to the release and succeeds once the sync succeeded and the
        application is Healthy on it. Rollbacks use Argo CD’s history when they can.
      </p>
      <TextField
        label="Server URL"
        type="url"
        inputMode="url"
        autoComplete="off"
        placeholder="https://argocd.example.com"
        error={errors['driver.config.serverUrl']}
        value={values.serverUrl}
        onChange={(event) => onChange({ serverUrl: event.target.value })}
      />
      <Field
        label="API token"
        error={errors['driver.config.token']}
        hint={
          tokenStored ? (
            <>
              <KeyRound size={12} aria-hidden /> A token is stored — leave empty to keep it.
            </>
          ) : (
            'An Argo CD account or project token allowed to get, sync and update the application. It cannot be read back.'
          )
        }
      >
        {(ids) => (
          <input
            {...ids}
            className="input mono"
            type="password"
            autoComplete="new-password"
            spellCheck={false}
            placeholder={tokenStored ? 'Stored (unchanged)' : undefined}
            value={values.token}
            onChange={(event) => onChange({ token: event.target.value })}
          />
        )}
      </Field>
      <div className="stage-settings-grid">
        <TextField
          label="Application"
          autoComplete="off"
          error={errors['driver.config.application']}
          value={values.application}
          onChange={(event) => onChange({ application: event.target.value })}
        />
        <TextField
          label="Project (optional)"
          autoComplete="off"
          error={errors['driver.config.project']}
          value={values.project}
          onChange={(event) => onChange({ project: event.target.value })}
        />
        <TextField
          label="App namespace (optional)"
          hint="Only for applications outside Argo CD’s namespace."
          autoComplete="off"
          error={errors['driver.config.appNamespace']}
          value={values.appNamespace}
          onChange={(event) => onChange({ appNamespace: event.target.value })}
        />
      </div>
      <div className="stage-settings-grid">
        <Field label="A release is deployed as">
          {(ids) => (
            <select
              {...ids}
              className="input select"
              value={values.mappingKind}
              onChange={(event) =>
                onChange({
                  mappingKind: event.target.value as StageSettingsForm['argocd']['mappingKind'],
                  mappingValue: event.target.value === 'revision' ? 'commitSha' : 'version',
                })
              }
            >
              <option value="revision">Git revision</option>
              <option value="helmParameter">Image tag in a Helm parameter</option>
              <option value="kustomizeImage">Image tag in a kustomize image override</option>
            </select>
          )}
        </Field>
        <Field label="Using the release’s">
          {(ids) => (
            <select
              {...ids}
              className="input select"
              value={values.mappingValue}
              onChange={(event) =>
                onChange({ mappingValue: event.target.value as StageSettingsForm['argocd']['mappingValue'] })
              }
            >
              <option value="commitSha">Commit SHA</option>
              <option value="version">Version (tag)</option>
            </select>
          )}
        </Field>
        {values.mappingKind !== 'revision' ? (
          <TextField
            label={values.mappingKind === 'helmParameter' ? 'Helm parameter' : 'Image'}
            placeholder={values.mappingKind === 'helmParameter' ? 'image.tag' : 'ghcr.io/acme/checkout'}
            autoComplete="off"
            error={errors[targetField]}
            value={values.mappingTarget}
            onChange={(event) => onChange({ mappingTarget: event.target.value })}
          />
        ) : null}
      </div>
      <div className="stage-settings-grid">
        <TextField
          label="Timeout (seconds)"
          hint="Per request, 1 to 60."
          inputMode="numeric"
          error={errors['driver.config.timeoutSeconds']}
          value={values.timeoutSeconds}
          onChange={(event) => onChange({ timeoutSeconds: event.target.value })}
        />
        <TextField
          label="Poll interval (seconds)"
          hint="1 to 300."
          inputMode="numeric"
          error={errors['driver.config.pollIntervalSeconds']}
          value={values.pollIntervalSeconds}
          onChange={(event) => onChange({ pollIntervalSeconds: event.target.value })}
        />
      </div>
      <label className="check-row">
        <input
          type="checkbox"
          checked={values.prune}
          onChange={(event) => onChange({ prune: event.target.checked })}
        />{' '}
        Prune resources no longer in git
      </label>
    </fieldset>
  );
}

interface DurationFieldProps {
  label: string;
  hint: ReactNode;
  error: string | undefined;
  value: DurationInput;
  onChange: (value: DurationInput) => void;
}

function DurationField({ label, hint, error, value, onChange }: DurationFieldProps) {
  return (
    <Field label={label} hint={hint} error={error}>
      {(ids) => (
        <div className="duration-input">
          <input
            {...ids}
            className="input"
            inputMode="decimal"
            value={value.amount}
            onChange={(event) => onChange({ ...value, amount: event.target.value })}
          />
          <select
            className="input select"
            aria-label={`${label} unit`}
            value={value.unit}
            onChange={(event) => onChange({ ...value, unit: event.target.value as DurationUnit })}
          >
            {DURATION_UNITS.map(({ unit, label: unitLabel }) => (
              <option key={unit} value={unit}>
                {unitLabel}
              </option>
            ))}
          </select>
        </div>
      )}
    </Field>
  );
}
