import type { Service, ServiceGitHub } from '@flightdeck/contracts';
import { useQuery } from '@tanstack/react-query';
import { CircleAlert, CircleCheck, GitMerge, Settings2 } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { FormDialog } from '../../components/ui/form-dialog';
import { RelativeTime } from '../../components/ui/relative-time';
import { StatusPill } from '../../components/ui/status-pill';
import { TableState } from '../../components/ui/table-state';
import { TextField } from '../../components/ui/text-field';
import { fieldErrorsFromApi, type FieldErrors } from '../../lib/form-errors';
import { pushToast } from '../notifications/toast-store';
import { DELIVERY_STATE, describeRules } from './github-model';
import { serviceGitHubQueryOptions, useUpdateServiceGitHub } from './github-queries';
import './github.css';

// Which GitHub events make this service's releases, how Flightdeck hears of them, and what it made of
// the latest deliveries.
export function GitHubReleasesPanel({ service, canEdit }: { service: Service; canEdit: boolean }) {
  const query = useQuery(serviceGitHubQueryOptions(service.slug));
  const [editing, setEditing] = useState(false);
  const github = query.data;
  return (
    <section className="service-section" aria-labelledby="github-heading">
      <div className="github-heading-row">
        <h2 id="github-heading" className="section-title">
          Releases from GitHub
        </h2>
        {canEdit && github ? (
          <button type="button" className="button button-small" onClick={() => setEditing(true)}>
            <Settings2 size={14} aria-hidden /> Edit rules
          </button>
        ) : null}
      </div>
      <TableState
        query={query}
        errorTitle="The GitHub settings could not be loaded"
        isEmpty={false}
        empty={null}
        loadingLabel="Loading the GitHub settings…"
        skeletonRows={2}
      >
        {github ? <GitHubSummary github={github} /> : null}
      </TableState>
      {editing && github ? (
        <GitHubRulesDialog github={github} slug={service.slug} onClose={() => setEditing(false)} />
      ) : null}
    </section>
  );
}

function GitHubSummary({ github }: { github: ServiceGitHub }) {
  const rules = describeRules(github.rules);
  const { connection } = github;
  return (
    <div className="github-panel">
      <p className="github-rules">
        <GitMerge size={16} aria-hidden />
        {rules.length === 0 ? (
          <span>No GitHub event makes a release of this service.</span>
        ) : (
          <span>A release is made from {rules.join('; ')}.</span>
        )}
      </p>
      <ul className="github-connection" aria-label="Connection">
        <li>
          <Connected ok={connection.webhooksConfigured} label="Webhooks" />
          <span className="muted mono">{connection.webhookPath}</span>
        </li>
        <li>
          <Connected ok={connection.apiConfigured} label="GitHub API" />
          <span className="muted">
            {github.polling ? 'Polling the repository (unchanged answers cost nothing)' : 'Not polling'}
          </span>
        </li>
      </ul>
      {github.recentDeliveries.length > 0 ? (
        <div className="table-wrap">
          <table className="table github-deliveries">
            <caption className="sr-only">Latest deliveries from GitHub</caption>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Result</th>
                <th scope="col">What happened</th>
                <th scope="col">Received</th>
              </tr>
            </thead>
            <tbody>
              {github.recentDeliveries.map((delivery) => {
                const state = DELIVERY_STATE[delivery.state];
                return (
                  <tr key={delivery.deliveryId}>
                    <td className="mono">
                      {delivery.event}
                      {delivery.action ? `.${delivery.action}` : ''}
                    </td>
                    <td>
                      <StatusPill tone={state.tone} Icon={state.Icon} label={state.label} />
                    </td>
                    <td className="github-outcome">{delivery.outcome ?? '—'}</td>
                    <td>
                      <RelativeTime iso={delivery.receivedAt} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted">No deliveries from this repository yet.</p>
      )}
    </div>
  );
}

function Connected({ ok, label }: { ok: boolean; label: string }) {
  return (
    <StatusPill
      tone={ok ? 'success' : 'warning'}
      Icon={ok ? CircleCheck : CircleAlert}
      label={`${label}: ${ok ? 'configured' : 'not configured'}`}
    />
  );
}

const FORM_ID = 'github-rules-form';

function GitHubRulesDialog({
  github,
  slug,
  onClose,
}: {
  github: ServiceGitHub;
  slug: string;
  onClose: () => void;
}) {
  const update = useUpdateServiceGitHub(slug);
  const [rules, setRules] = useState(github.rules);
  const [polling, setPolling] = useState(github.polling);
  const [workflow, setWorkflow] = useState(github.rules.workflow ?? '');
  const [errors, setErrors] = useState<FieldErrors>({});
  const patch = (next: Partial<ServiceGitHub['rules']>) => setRules((current) => ({ ...current, ...next }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setErrors({});
    const body = { rules: { ...rules, workflow: workflow.trim() === '' ? null : workflow.trim() }, polling };
    update.mutate(body, {
      onSuccess: () => {
        pushToast({
          id: `github-rules:${slug}`,
          tone: 'success',
          title: 'GitHub release rules saved',
          message: `${slug}: ${describeRules(body.rules).length} of 4 rules on, polling ${polling ? 'on' : 'off'}.`,
          code: null,
        });
        onClose();
      },
      onError: (error) => setErrors(fieldErrorsFromApi(error)),
    });
  };

  const shownError = errors['rules.workflow'] ? null : update.error;
  return (
    <FormDialog
      open
      title="Releases from GitHub"
      onClose={onClose}
      formId={FORM_ID}
      onSubmit={submit}
      submitLabel="Save rules"
      pendingLabel="Saving…"
      pending={update.isPending}
      error={shownError}
    >
      <p className="dialog-lead">
        Choose which events from{' '}
        <span className="mono">
          {github.repository ? `${github.repository.owner}/${github.repository.name}` : 'the repository'}
        </span>{' '}
        make a release of this service. Each is made once per version, whichever way it arrives.
      </p>
      <fieldset className="github-rules-fieldset">
        <legend className="field-label">Make a release from</legend>
        <Check
          checked={rules.push}
          onChange={(push) => patch({ push })}
          title={`A push to ${github.defaultBranch}`}
          description="Once every status and check on the commit is green. Version: the short commit sha."
        />
        <Check
          checked={rules.workflowRun}
          onChange={(workflowRun) => patch({ workflowRun })}
          title="A successful workflow run"
          description={`On ${github.defaultBranch}. Version: the short commit sha.`}
        />
        {rules.workflowRun ? (
          <TextField
            label="Only this workflow (optional)"
            hint="Its name or file, e.g. Deploy or .github/workflows/deploy.yml. Empty: any workflow."
            value={workflow}
            maxLength={200}
            error={errors['rules.workflow']}
            onChange={(event) => setWorkflow(event.target.value)}
          />
        ) : null}
        <Check
          checked={rules.releasePublished}
          onChange={(releasePublished) => patch({ releasePublished })}
          title="A published GitHub release"
          description="Version: its tag. Notes: its description."
        />
        <Check
          checked={rules.tag}
          onChange={(tag) => patch({ tag })}
          title="A pushed tag"
          description="Version: the tag."
        />
      </fieldset>
      <Check
        checked={polling}
        onChange={setPolling}
        title="Poll the repository"
        description="For repositories that cannot send webhooks: Flightdeck asks GitHub every minute, with conditional requests."
      />
    </FormDialog>
  );
}

function Check(props: {
  checked: boolean;
  onChange: (value: boolean) => void;
  title: string;
  description: string;
}) {
  return (
    <label className="check-row">
      <input
        type="checkbox"
        checked={props.checked}
        onChange={(event) => props.onChange(event.target.checked)}
      />
      <span>
        <span className="check-title">{props.title}</span>
        <span className="check-description">{props.description}</span>
      </span>
    </label>
  );
}
