import { CircleAlert, ExternalLink, Plus, Trash2 } from 'lucide-react';
import { TextField } from '../../components/ui/text-field';
import type { FieldErrors } from '../../lib/form-errors';
import { inputField, rowId, SENT_INPUTS, type GitHubActionsForm } from './github-actions-model';

// GitHub's page of one workflow, when Flightdeck knows where GitHub's web UI is.
export function workflowUrl(
  webUrl: string | null,
  form: Pick<GitHubActionsForm, 'owner' | 'repo' | 'workflow'>,
) {
  const [owner, repo, workflow] = [form.owner.trim(), form.repo.trim(), form.workflow.trim()];
  if (!webUrl || !owner || !repo || !workflow) return null;
  const part = encodeURIComponent;
  return `${webUrl}/${part(owner)}/${part(repo)}/actions/workflows/${part(workflow)}`;
}

export function WorkflowLink({ href }: { href: string | null }) {
  return href ? (
    <a className="stage-settings-external" href={href} target="_blank" rel="noreferrer">
      View the workflow on GitHub <ExternalLink size={13} aria-hidden />
    </a>
  ) : null;
}

// What every dispatch carries: the workflow must declare these inputs.
export function SentInputs() {
  return (
    <div className="sent-inputs">
      <p className="field-hint">
        Each deployment dispatches the workflow (<code>workflow_dispatch</code>) on the ref below and follows
        its run: the run’s conclusion is the deployment’s result. Flightdeck sends these inputs, so the
        workflow must declare them; its <code>run-name</code> must contain{' '}
        <code>{'${{ inputs.flightdeck_deployment_id }}'}</code> so Flightdeck can find the run.
      </p>
      <dl className="sent-inputs-list" aria-label="Inputs Flightdeck sends">
        {SENT_INPUTS.map(({ name, what }) => (
          <div key={name} className="sent-inputs-item">
            <dt>
              <code>{name}</code>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

interface GitHubActionsFieldsProps {
  values: GitHubActionsForm;
  onChange: (next: Partial<GitHubActionsForm>) => void;
  errors: FieldErrors;
  githubWebUrl: string | null;
}

export function GitHubActionsFields({ values, onChange, errors, githubWebUrl }: GitHubActionsFieldsProps) {
  const setInput = (id: number, next: { name?: string; value?: string }) =>
    onChange({ inputs: values.inputs.map((row) => (row.id === id ? { ...row, ...next } : row)) });
  return (
    <fieldset className="fieldset driver-fields">
      <legend className="field-label">GitHub Actions</legend>
      <SentInputs />
      <div className="stage-settings-grid">
        <TextField
          label="Owner"
          hint="User or organisation."
          autoComplete="off"
          spellCheck={false}
          placeholder="acme"
          error={errors['driver.config.owner']}
          value={values.owner}
          onChange={(event) => onChange({ owner: event.target.value })}
        />
        <TextField
          label="Repository"
          autoComplete="off"
          spellCheck={false}
          placeholder="checkout-api"
          error={errors['driver.config.repo']}
          value={values.repo}
          onChange={(event) => onChange({ repo: event.target.value })}
        />
      </div>
      <div className="stage-settings-grid">
        <TextField
          label="Workflow"
          hint="File name in .github/workflows, or its numeric id."
          autoComplete="off"
          spellCheck={false}
          placeholder="deploy.yml"
          inputClassName="mono"
          error={errors['driver.config.workflow']}
          value={values.workflow}
          onChange={(event) => onChange({ workflow: event.target.value })}
        />
        <TextField
          label="Ref"
          hint="The branch or tag whose copy of the workflow runs."
          autoComplete="off"
          spellCheck={false}
          inputClassName="mono"
          error={errors['driver.config.ref']}
          value={values.ref}
          onChange={(event) => onChange({ ref: event.target.value })}
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
      <WorkflowLink href={workflowUrl(githubWebUrl, values)} />

      <div className="workflow-inputs" role="group" aria-labelledby="workflow-inputs-title">
        <p id="workflow-inputs-title" className="field-label">
          Further inputs
        </p>
        <p className="field-hint">Sent as they are with every dispatch, besides the four above.</p>
        {values.inputs.length === 0 ? <p className="muted small">None.</p> : null}
        {values.inputs.map((row, index) => {
          const nameError = errors[`${inputField(index)}.name`];
          const valueError = errors[`${inputField(index)}.value`];
          const label = `input ${index + 1}`;
          return (
            <div key={row.id} className="workflow-input-row" role="group" aria-label={`Workflow ${label}`}>
              <RowInput
                label={`Name of ${label}`}
                error={nameError}
                errorId={`workflow-input-${row.id}-name-error`}
                placeholder="region"
                value={row.name}
                onChange={(name) => setInput(row.id, { name })}
              />
              <RowInput
                label={`Value of ${label}`}
                error={valueError}
                errorId={`workflow-input-${row.id}-value-error`}
                placeholder="eu-west-1"
                value={row.value}
                onChange={(value) => setInput(row.id, { value })}
              />
              <button
                type="button"
                className="button button-small button-ghost"
                aria-label={`Remove ${label}${row.name.trim() ? ` (${row.name.trim()})` : ''}`}
                onClick={() => onChange({ inputs: values.inputs.filter((r) => r.id !== row.id) })}
              >
                <Trash2 size={14} aria-hidden /> Remove
              </button>
            </div>
          );
        })}
        {errors['driver.config.inputs'] ? (
          <p className="field-error">
            <CircleAlert size={13} aria-hidden />
            {errors['driver.config.inputs']}
          </p>
        ) : null}
        <div>
          <button
            type="button"
            className="button button-small"
            onClick={() => onChange({ inputs: [...values.inputs, { id: rowId(), name: '', value: '' }] })}
          >
            <Plus size={14} aria-hidden /> Add input
          </button>
        </div>
      </div>
    </fieldset>
  );
}

interface RowInputProps {
  label: string;
  error: string | undefined;
  errorId: string;
  placeholder: string;
  value: string;
  onChange: (value: string) => void;
}

function RowInput({ label, error, errorId, placeholder, value, onChange }: RowInputProps) {
  return (
    <div className="workflow-input-cell">
      <input
        className="input mono"
        aria-label={label}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        autoComplete="off"
        spellCheck={false}
        placeholder={placeholder}
        value={value}
        onChange={(event) => onChange(event.target.value)}
      />
      {error ? (
        <p id={errorId} className="field-error">
          <CircleAlert size={13} aria-hidden />
          {error}
        </p>
      ) : null}
    </div>
  );
}
