import {
  ApiError,
  deploymentSchema,
  gateSchema,
  type Deployment,
  type Gate,
  type PromotionPreview,
  type Release,
} from '@flightdeck/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ArrowRight, FlaskConical, Siren } from 'lucide-react';
import { useId, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { Dialog } from '../../components/ui/dialog';
import { ErrorState } from '../../components/ui/error-state';
import { InlineError, InlineNote } from '../../components/ui/field';
import { FormError } from '../../components/ui/form-error';
import { Skeleton } from '../../components/ui/skeleton';
import { TextField } from '../../components/ui/text-field';
import { queryKeys } from '../../config/query-keys';
import { describeError } from '../../lib/errors';
import { useIdempotencyKey } from '../../lib/idempotency';
import { formatTimestamp, shortSha } from '../../lib/time';
import { ReleaseChangesTable } from './release-changes-table';
import { ChangelogSection } from './changelog-section';
import { useNow } from '../../lib/use-now';
import { useCan } from '../auth/use-auth';
import { useCreateDeployment } from '../deployments/use-deployment-actions';
import { pushToast } from '../notifications/toast-store';
import { DEPLOYMENT_STATUS_META } from '../status/status-meta';
import { deploymentPath } from '../service/service-paths';
import { GateList } from './gate-list';
import { GATE_STATE_META, previewState } from './gate-meta';
import type { PreviewTarget } from './preview-target';
import { promotionPreviewQueryOptions, recentReleasesQueryOptions } from './preview-queries';
import './promotion-preview.css';

interface PromotionPreviewDialogProps {
  target: PreviewTarget;
  onClose: () => void;
}

const gatesSchema = gateSchema.array();
const deploymentRefSchema = deploymentSchema.pick({ id: true, status: true });
const FORM_ID = 'deploy-form';

// What deploying a release to a stage would do, what stands in the way, and the button that does it.
export function PromotionPreviewDialog({ target, onClose }: PromotionPreviewDialogProps) {
  const [releaseId, setReleaseId] = useState<string | null>(null);
  const preview = useQuery({
    ...promotionPreviewQueryOptions(target.stageId, releaseId),
    placeholderData: (previous) => previous,
  });
  const releases = useQuery(recentReleasesQueryOptions(target.serviceSlug));
  const pickerId = useId();
  const queryClient = useQueryClient();
  const canDeploy = useCan('deployments:write');
  const isAdmin = useCan('admin');
  const [reason, setReason] = useState('');
  const [breakGlass, setBreakGlass] = useState(false);
  const [breakGlassReason, setBreakGlassReason] = useState('');
  const [breakGlassError, setBreakGlassError] = useState<string | undefined>();
  const keyFor = useIdempotencyKey();
  const create = useCreateDeployment();

  const shown = preview.data && !preview.isPlaceholderData ? preview.data : null;
  const candidate = shown?.candidate ?? null;
  const blocked = blockedGates(create.error);
  const state = shown ? previewState(shown) : null;
  // Gates that only wait (soak, another deployment running) let the request through as pending.
  const failing = state === 'fail' || blocked !== null;
  const actionLabel = candidate ? deployLabel(shown!, candidate, target.environmentName) : 'Deploy';
  const disabledReason = !shown
    ? preview.isError
      ? 'The preview could not be loaded.'
      : 'Evaluating gates…'
    : !candidate
      ? shown.summary
      : failing && !breakGlass
        ? shown.summary
        : null;
  const reasonId = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!shown || !candidate || disabledReason || create.isPending) return;
    const overrideReason = breakGlassReason.trim();
    if (breakGlass && !overrideReason) {
      setBreakGlassError('Say why the gates must be overridden');
      return;
    }
    setBreakGlassError(undefined);
    const body = {
      stageId: target.stageId,
      releaseId: candidate.id,
      reason: breakGlass ? overrideReason : reason.trim(),
      breakGlass,
    };
    create.mutate(
      { body, idempotencyKey: keyFor(body), release: candidate },
      {
        onSuccess: (deployment) => {
          pushToast({
            id: `deployment:${deployment.id}`,
            tone: 'success',
            title: `${progressLabel(deployment.kind)} ${candidate.version} to ${target.environmentName}`,
            message: `${target.serviceName}: ${
              deployment.status === 'pending'
                ? 'pending until its gates pass'
                : DEPLOYMENT_STATUS_META[deployment.status].label.toLowerCase()
            }${deployment.breakGlass ? ', break glass' : ''}.`,
            code: null,
            link: { to: deploymentPath(deployment.id), label: 'View deployment' },
          });
          onClose();
        },
        onError: (error) => {
          // The gates moved since the preview: show them as they are now.
          if (error instanceof ApiError && error.status === 409) {
            void queryClient.invalidateQueries({ queryKey: queryKeys.preview(target.stageId, releaseId) });
          }
        },
      },
    );
  };

  return (
    <Dialog
      open
      size="lg"
      title={`Promote ${target.serviceName} to ${target.environmentName}`}
      onClose={onClose}
      busy={create.isPending}
      footer={
        <div className="deploy-footer">
          {canDeploy && disabledReason ? (
            <p className="deploy-disabled-reason" id={reasonId}>
              {disabledReason}
            </p>
          ) : null}
          <div className="deploy-footer-buttons">
            <button type="button" className="button" onClick={onClose} disabled={create.isPending}>
              {canDeploy ? 'Cancel' : 'Done'}
            </button>
            {canDeploy ? (
              <button
                type="submit"
                form={FORM_ID}
                className={breakGlass ? 'button button-danger' : 'button button-primary'}
                disabled={Boolean(disabledReason) || create.isPending}
                aria-describedby={disabledReason ? reasonId : undefined}
              >
                {create.isPending
                  ? 'Starting…'
                  : breakGlass
                    ? `Break glass: ${lowerFirst(actionLabel)}`
                    : actionLabel}
              </button>
            ) : null}
          </div>
        </div>
      }
    >
      <div className="preview" aria-busy={preview.isFetching || undefined}>
        <div className="preview-picker">
          <label htmlFor={pickerId} className="field-label">
            Release
          </label>
          <select
            id={pickerId}
            className="input select"
            value={releaseId ?? ''}
            disabled={create.isPending}
            onChange={(event) => {
              setReleaseId(event.target.value || null);
              create.reset();
            }}
          >
            <option value="">Next candidate</option>
            {(releases.data?.items ?? []).map((release) => (
              <option key={release.id} value={release.id}>
                {release.version} · {shortSha(release.commitSha)} · {formatTimestamp(release.createdAt)}
              </option>
            ))}
          </select>
          {releases.error ? (
            <p className="field-hint">
              Other releases could not be loaded: {describeError(releases.error).message}
            </p>
          ) : (
            <p className="field-hint">Pick an older release to see what a rollback to it would cross.</p>
          )}
        </div>

        {preview.data ? (
          <PreviewBody preview={preview.data} />
        ) : preview.isPending ? (
          <div className="preview-loading" aria-busy="true">
            <span className="sr-only">Evaluating gates…</span>
            <Skeleton height="1.5rem" />
            <Skeleton height="1rem" />
            <Skeleton height="1rem" />
          </div>
        ) : (
          <ErrorState
            title="The preview could not be loaded"
            error={describeError(preview.error)}
            onRetry={() => void preview.refetch()}
            retrying={preview.isFetching}
          />
        )}

        {target.driverKind === 'sandbox' ? (
          <InlineNote icon={<FlaskConical size={16} aria-hidden />}>
            Sandbox target: Flightdeck simulates this deployment; nothing real is deployed.
          </InlineNote>
        ) : null}

        {canDeploy && candidate ? (
          <form id={FORM_ID} className="form-stack deploy-form" onSubmit={submit} noValidate>
            <DeployError error={create.error} blocked={blocked} />
            {state === 'waiting' && !failing ? (
              <p className="deploy-waiting-note">
                It waits as pending until its gates pass, then starts by itself.
              </p>
            ) : null}
            {breakGlass ? null : (
              <TextField
                label="Reason (optional)"
                hint="Shown on the deployment, in the audit log and to whoever reviews it."
                autoComplete="off"
                maxLength={500}
                value={reason}
                disabled={create.isPending}
                onChange={(event) => setReason(event.target.value)}
              />
            )}
            {isAdmin && failing ? (
              <details className="break-glass" open={breakGlass || undefined}>
                <summary>
                  <Siren size={14} aria-hidden />
                  Break glass
                </summary>
                <div className="break-glass-body">
                  <p>
                    Deploy through failing gates. Admins only; the deployment is flagged as break glass
                    everywhere and the override is audited.
                  </p>
                  <label className="check-row break-glass-check">
                    <input
                      type="checkbox"
                      checked={breakGlass}
                      disabled={create.isPending}
                      onChange={(event) => {
                        setBreakGlass(event.target.checked);
                        setBreakGlassError(undefined);
                      }}
                    />
                    Override the failing gates
                  </label>
                  {breakGlass ? (
                    <TextField
                      label="Why the gates must be overridden"
                      hint="Required. For example: INC-231 hotfix, approved by the on-call lead."
                      error={breakGlassError}
                      autoComplete="off"
                      maxLength={500}
                      required
                      value={breakGlassReason}
                      disabled={create.isPending}
                      onChange={(event) => setBreakGlassReason(event.target.value)}
                    />
                  ) : null}
                </div>
              </details>
            ) : null}
          </form>
        ) : null}
      </div>
    </Dialog>
  );
}

function blockedGates(error: unknown): Gate[] | null {
  if (!(error instanceof ApiError) || error.code !== 'DEPLOYMENT_BLOCKED') return null;
  const parsed = gatesSchema.safeParse(detail(error, 'gates'));
  return parsed.success ? parsed.data : [];
}

function detail(error: ApiError, name: string): unknown {
  return error.details !== null && typeof error.details === 'object'
    ? (error.details as Record<string, unknown>)[name]
    : undefined;
}

function DeployError({ error, blocked }: { error: unknown; blocked: Gate[] | null }) {
  if (!error) return null;
  if (blocked) {
    return (
      <InlineError title="Not deployed: a gate blocks it">
        <p>{describeError(error).message}</p>
        {blocked.length > 0 ? <GateList gates={blocked} label="Blocking gates" /> : null}
      </InlineError>
    );
  }
  if (error instanceof ApiError && error.code === 'DEPLOYMENT_IN_PROGRESS') {
    const parsed = deploymentRefSchema.safeParse(detail(error, 'deployment'));
    return (
      <InlineError title="Already on its way">
        <p>{error.message}</p>
        {parsed.success ? <Link to={deploymentPath(parsed.data.id)}>View that deployment</Link> : null}
      </InlineError>
    );
  }
  return <FormError error={error} title="Not deployed" />;
}

// "Deploy v1.5.0 to Production", "Roll back to v1.4.2", "Redeploy v1.4.2": what the button does.
function deployLabel(preview: PromotionPreview, candidate: Release, environmentName: string): string {
  switch (preview.changes.direction) {
    case 'backward':
      return `Roll back to ${candidate.version}`;
    case 'none':
      return `Redeploy ${candidate.version}`;
    default:
      return `Deploy ${candidate.version} to ${environmentName}`;
  }
}

function progressLabel(kind: Deployment['kind']): string {
  return kind === 'rollback' ? 'Rolling back' : kind === 'redeploy' ? 'Redeploying' : 'Deploying';
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function PreviewBody({ preview }: { preview: PromotionPreview }) {
  const now = useNow();
  const state = previewState(preview);
  const { Icon, tone } = GATE_STATE_META[state];
  return (
    <>
      <p className="preview-summary" data-tone={tone} role="status">
        <Icon size={18} strokeWidth={2.25} aria-hidden />
        <span>{preview.summary}</span>
      </p>

      <div className="preview-versions" aria-label="Versions">
        <VersionBox label="Running now" release={preview.current} empty="Nothing yet" />
        <ArrowRight size={16} aria-hidden className="preview-versions-arrow" />
        <VersionBox label="Candidate" release={preview.candidate} empty="No candidate" />
      </div>

      <section aria-labelledby="preview-gates-title">
        <h3 id="preview-gates-title" className="preview-heading">
          Gates
        </h3>
        {preview.gates.length === 0 ? (
          <p className="muted">No gates apply to this stage.</p>
        ) : (
          <GateList gates={preview.gates} />
        )}
      </section>

      <Changes preview={preview} now={now} />
      {preview.candidate && preview.current && preview.candidate.id !== preview.current.id ? (
        <ChangelogSection stageId={preview.stage.id} releaseId={preview.candidate.id} />
      ) : null}
    </>
  );
}

function VersionBox({ label, release, empty }: { label: string; release: Release | null; empty: string }) {
  return (
    <div className="preview-version">
      <span className="preview-version-label">{label}</span>
      {release ? (
        <span className="preview-version-value" title={`commit ${release.commitSha}`}>
          <span className="mono preview-version-tag">{release.version}</span>
          <span className="mono muted">{shortSha(release.commitSha)}</span>
        </span>
      ) : (
        <span className="muted">{empty}</span>
      )}
    </div>
  );
}

function Changes({ preview, now }: { preview: PromotionPreview; now: number }) {
  const { direction, releases } = preview.changes;
  const count = `${releases.length} ${releases.length === 1 ? 'release' : 'releases'}`;
  const lead =
    direction === 'forward'
      ? `Moves forward through ${count}:`
      : direction === 'backward'
        ? `Reverts ${count}:`
        : preview.candidate
          ? 'No change: this release is what runs there now.'
          : 'Nothing to move: no release is waiting for this stage.';
  return (
    <section aria-labelledby="preview-changes-title">
      <h3 id="preview-changes-title" className="preview-heading">
        What changes
      </h3>
      <p className="preview-direction" data-direction={direction}>
        {lead}
      </p>
      {releases.length > 0 ? (
        <ReleaseChangesTable
          releases={releases}
          label={direction === 'backward' ? 'Releases reverted' : 'Releases deployed'}
          now={now}
        />
      ) : null}
    </section>
  );
}
