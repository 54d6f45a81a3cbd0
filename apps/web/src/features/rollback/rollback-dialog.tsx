import {
  ApiError,
  createRollbackBodySchema,
  deploymentSchema,
  gateSchema,
  type Gate,
  type PromotionPreview,
  type Release,
  type RollbackOptions,
} from '@flightdeck/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ArrowRight, OctagonX, PauseCircle, ShieldBan, Undo2 } from 'lucide-react';
import { useEffect, useId, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { Badge } from '../../components/ui/badge';
import { Dialog } from '../../components/ui/dialog';
import { ErrorState } from '../../components/ui/error-state';
import { InlineError } from '../../components/ui/field';
import { FormError } from '../../components/ui/form-error';
import { Skeleton } from '../../components/ui/skeleton';
import { TextField } from '../../components/ui/text-field';
import { queryKeys } from '../../config/query-keys';
import { describeError } from '../../lib/errors';
import { fieldErrorsFromApi, fieldErrorsFromZod } from '../../lib/form-errors';
import { useIdempotencyKey } from '../../lib/idempotency';
import { formatAge, formatTimestamp, shortSha } from '../../lib/time';
import { useNow } from '../../lib/use-now';
import { useCan } from '../auth/use-auth';
import { pushToast } from '../notifications/toast-store';
import { GateList } from '../promotion-preview/gate-list';
import { ReleaseChangesTable } from '../promotion-preview/release-changes-table';
import { promotionPreviewQueryOptions } from '../promotion-preview/preview-queries';
import { deploymentPath } from '../service/service-paths';
import { DEPLOYMENT_STATUS_META } from '../status/status-meta';
import { rollbackOptionsQueryOptions, useRollbackStage } from './rollback-queries';
import type { HoldTarget, RollbackTarget } from './rollback-target';
import './rollback.css';

interface RollbackDialogProps {
  target: RollbackTarget;
  onClose: () => void;
  // Offered next to the stage's hold, for users who may release it.
  onReleaseHold?: ((target: HoldTarget) => void) | undefined;
}

const FORM_ID = 'rollback-form';
const gatesSchema = gateSchema.array();
const deploymentRefSchema = deploymentSchema.pick({ id: true, status: true });

// One rollback of one stage: what it goes back to (the previous successful release unless another is
// picked), what it reverts, what stands in the way, what it cancels, and why (required).
export function RollbackDialog({ target, onClose, onReleaseHold }: RollbackDialogProps) {
  const options = useQuery(rollbackOptionsQueryOptions(target.stageId));
  const [picked, setPicked] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | undefined>();
  const canDeploy = useCan('deployments:write');
  const keyFor = useIdempotencyKey();
  const rollback = useRollbackStage(target.stageId);
  const queryClient = useQueryClient();
  const reasonHintId = useId();

  const data = options.data;
  const chosenId = picked ?? data?.defaultTarget?.id ?? null;
  const chosen = data ? releaseOf(data, chosenId) : null;
  const preview = useQuery({
    ...promotionPreviewQueryOptions(target.stageId, chosenId),
    enabled: chosenId !== null,
    placeholderData: (previous) => previous,
  });

  // showModal() focuses the Close button; with the default target picked, the reason is what is left to do.
  const loaded = Boolean(data);
  useEffect(() => {
    if (loaded) document.querySelector<HTMLInputElement>(`#${FORM_ID} input[type='text']`)?.focus();
  }, [loaded]);

  const disabledReason = !data
    ? options.isError
      ? 'What this stage can roll back to could not be loaded.'
      : 'Loading what this stage can roll back to…'
    : !data.current
      ? `Nothing to roll back: nothing runs in ${target.environmentName} yet.`
      : data.targets.length === 0
        ? `Nothing to roll back to: no earlier release succeeded in ${target.environmentName}.`
        : !chosen
          ? 'Pick the release to roll back to.'
          : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (disabledReason || !chosen || rollback.isPending) return;
    const parsed = createRollbackBodySchema.safeParse({ releaseId: chosen.id, reason });
    if (!parsed.success) {
      setReasonError(fieldErrorsFromZod(parsed.error).reason);
      return;
    }
    setReasonError(undefined);
    const body = { releaseId: chosen.id, reason: parsed.data.reason };
    rollback.mutate(
      { body, idempotencyKey: keyFor(body), release: chosen },
      {
        onSuccess: (deployment) => {
          const cancelled = data?.active ? `; ${data.active.release.version} was cancelled` : '';
          pushToast({
            id: `deployment:${deployment.id}`,
            tone: 'success',
            title: `Rolling ${target.environmentName} back to ${chosen.version}`,
            message: `${target.serviceName}: ${DEPLOYMENT_STATUS_META[deployment.status].label.toLowerCase()}${cancelled}.`,
            code: null,
            link: { to: deploymentPath(deployment.id), label: 'View deployment' },
          });
          onClose();
        },
        onError: (error) => {
          setReasonError(fieldErrorsFromApi(error).reason);
          // The stage moved since the dialog opened: show its options and gates as they are now.
          if (error instanceof ApiError && error.status === 409) {
            void queryClient.invalidateQueries({ queryKey: queryKeys.rollback(target.stageId) });
            void queryClient.invalidateQueries({ queryKey: queryKeys.preview(target.stageId, chosen.id) });
          }
        },
      },
    );
  };

  return (
    <Dialog
      open
      size="lg"
      title={`Roll back ${target.serviceName} in ${target.environmentName}`}
      onClose={onClose}
      busy={rollback.isPending}
      footer={
        <div className="deploy-footer">
          {canDeploy && disabledReason ? (
            <p className="deploy-disabled-reason" id={reasonHintId}>
              {disabledReason}
            </p>
          ) : null}
          <div className="deploy-footer-buttons">
            <button type="button" className="button" onClick={onClose} disabled={rollback.isPending}>
              {canDeploy ? 'Cancel' : 'Done'}
            </button>
            {canDeploy ? (
              <button
                type="submit"
                form={FORM_ID}
                className={data?.active ? 'button button-danger' : 'button button-primary'}
                disabled={Boolean(disabledReason) || rollback.isPending}
                aria-describedby={disabledReason ? reasonHintId : undefined}
              >
                <Undo2 size={14} aria-hidden />
                {rollback.isPending
                  ? 'Rolling back…'
                  : chosen
                    ? `Roll back to ${chosen.version}`
                    : 'Roll back'}
              </button>
            ) : null}
          </div>
        </div>
      }
    >
      {data ? (
        <div className="preview rollback">
          {data.active ? <ActiveWarning active={data.active} /> : null}
          {data.hold ? (
            <HoldNote
              hold={data.hold}
              onRelease={
                canDeploy && onReleaseHold ? () => onReleaseHold({ ...target, hold: data.hold! }) : undefined
              }
            />
          ) : null}

          <div className="preview-versions" aria-label="Versions">
            <VersionBox label="Running now" release={data.current} empty="Nothing yet" />
            <ArrowRight size={16} aria-hidden className="preview-versions-arrow" />
            <VersionBox label="Rolls back to" release={chosen} empty="Nothing to roll back to" />
          </div>

          <TargetPicker
            options={data}
            chosenId={chosenId}
            disabled={rollback.isPending}
            onPick={(id) => {
              setPicked(id);
              rollback.reset();
            }}
          />

          {chosenId ? <RollbackPreview query={preview} active={data.active !== null} /> : null}

          {canDeploy && chosen ? (
            <form id={FORM_ID} className="form-stack deploy-form" onSubmit={submit} noValidate>
              <RollbackError error={rollback.error} />
              {data.current ? (
                <p className="muted small rollback-hold-hint">
                  <PauseCircle size={13} aria-hidden /> Afterwards {data.current.version} is held in{' '}
                  {target.environmentName}: it cannot be promoted there again, and automatic promotion stops,
                  until someone releases the hold or a newer release succeeds upstream.
                </p>
              ) : null}
              <TextField
                label="Reason"
                hint="Required. Shown on the deployment, on the hold and in the audit log."
                error={reasonError}
                autoComplete="off"
                maxLength={500}
                required
                value={reason}
                disabled={rollback.isPending}
                onChange={(event) => setReason(event.target.value)}
              />
            </form>
          ) : null}
        </div>
      ) : options.isPending ? (
        <div className="preview-loading" aria-busy="true">
          <span className="sr-only">Loading what this stage can roll back to…</span>
          <Skeleton height="1.5rem" />
          <Skeleton height="4rem" />
          <Skeleton height="1rem" />
        </div>
      ) : (
        <ErrorState
          title="What this stage can roll back to could not be loaded"
          error={describeError(options.error)}
          onRetry={() => void options.refetch()}
          retrying={options.isFetching}
        />
      )}
    </Dialog>
  );
}

function releaseOf(options: RollbackOptions, id: string | null): Release | null {
  if (!id) return null;
  return options.targets.find((entry) => entry.release.id === id)?.release ?? null;
}

function ActiveWarning({ active }: { active: NonNullable<RollbackOptions['active']> }) {
  const status = DEPLOYMENT_STATUS_META[active.status].label.toLowerCase();
  return (
    <div className="inline-alert" data-tone="danger" role="note">
      <OctagonX className="inline-alert-icon" size={16} aria-hidden />
      <div className="inline-alert-body">
        <p className="inline-alert-title">
          Cancels <span className="mono">{active.release.version}</span>, {status} now
        </p>
        <p>
          The rollback cancels the deployment in flight on this stage first.{' '}
          <Link to={deploymentPath(active.id)}>View that deployment</Link>
        </p>
      </div>
    </div>
  );
}

function HoldNote({
  hold,
  onRelease,
}: {
  hold: NonNullable<RollbackOptions['hold']>;
  onRelease?: () => void;
}) {
  return (
    <div className="inline-alert" data-tone="warning" role="note">
      <PauseCircle className="inline-alert-icon" size={16} aria-hidden />
      <div className="inline-alert-body">
        <p className="inline-alert-title">
          Held: <span className="mono">{hold.release.version}</span>
        </p>
        <p>
          It may not come back to this stage until the hold is released
          {hold.reason ? <>. Reason: {hold.reason}</> : '.'}
        </p>
        {onRelease ? (
          <button type="button" className="button button-small" onClick={onRelease}>
            Release hold…
          </button>
        ) : null}
      </div>
    </div>
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

interface TargetPickerProps {
  options: RollbackOptions;
  chosenId: string | null;
  disabled: boolean;
  onPick: (id: string) => void;
}

// Every release that succeeded here before, newest finish first, with when it last did.
function TargetPicker({ options, chosenId, disabled, onPick }: TargetPickerProps) {
  const now = useNow();
  const name = useId();
  if (options.targets.length === 0) {
    return (
      <p className="muted">
        No earlier release succeeded on this stage, so there is nothing to roll back to.
      </p>
    );
  }
  return (
    <fieldset className="rollback-targets" disabled={disabled}>
      <legend className="preview-heading">Roll back to</legend>
      <ul className="rollback-target-list">
        {options.targets.map(({ release, lastSucceededAt }) => (
          <li key={release.id}>
            <label className="rollback-target" data-checked={release.id === chosenId || undefined}>
              <input
                type="radio"
                name={name}
                value={release.id}
                checked={release.id === chosenId}
                onChange={() => onPick(release.id)}
              />
              <span className="rollback-target-version mono">{release.version}</span>
              <span className="mono muted small">{shortSha(release.commitSha)}</span>
              <span className="rollback-target-when small">
                last succeeded{' '}
                <time dateTime={lastSucceededAt} title={formatTimestamp(lastSucceededAt)}>
                  {formatAge(lastSucceededAt, now)}
                </time>
              </span>
              <span className="rollback-target-badges">
                {release.id === options.defaultTarget?.id ? (
                  <Badge tone="accent">Previous successful</Badge>
                ) : null}
                {release.quarantine ? (
                  <Badge
                    tone="danger"
                    icon={<ShieldBan size={11} aria-hidden />}
                    title={`Quarantined by ${release.quarantine.by}: ${release.quarantine.reason}`}
                  >
                    Quarantined
                  </Badge>
                ) : null}
              </span>
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}

interface RollbackPreviewProps {
  query: { data?: PromotionPreview | undefined; isPending: boolean; error: unknown; refetch: () => unknown };
  // The rollback cancels what runs: a "stage busy" gate says nothing the warning above does not.
  active: boolean;
}

function RollbackPreview({ query, active }: RollbackPreviewProps) {
  const now = useNow();
  if (!query.data) {
    return query.isPending ? (
      <div className="preview-loading" aria-busy="true">
        <span className="sr-only">Evaluating what the rollback reverts…</span>
        <Skeleton height="1rem" />
        <Skeleton height="3rem" />
      </div>
    ) : (
      <InlineError title="What the rollback reverts could not be loaded">
        <p>{describeError(query.error).message}</p>
        <button type="button" className="button button-small" onClick={() => void query.refetch()}>
          Try again
        </button>
      </InlineError>
    );
  }
  const { changes } = query.data;
  const reverted = changes.direction === 'backward' ? changes.releases : [];
  const gates = active ? query.data.gates.filter((gate) => gate.kind !== 'busy') : query.data.gates;
  const count = `${reverted.length} ${reverted.length === 1 ? 'release' : 'releases'}`;
  return (
    <>
      <section aria-labelledby="rollback-reverted-title">
        <h3 id="rollback-reverted-title" className="preview-heading">
          What will be reverted
        </h3>
        {reverted.length === 0 ? (
          <p className="muted">Nothing is reverted: this release is what runs there now.</p>
        ) : (
          <>
            <p className="preview-direction" data-direction="backward">
              Reverts {count}, newest first:
            </p>
            <ReleaseChangesTable releases={reverted} label="Releases reverted" now={now} />
          </>
        )}
      </section>
      <section aria-labelledby="rollback-gates-title">
        <h3 id="rollback-gates-title" className="preview-heading">
          Gates
        </h3>
        {gates.length === 0 ? (
          <p className="muted">No gates apply to this rollback.</p>
        ) : (
          <GateList gates={gates} />
        )}
      </section>
    </>
  );
}

function RollbackError({ error }: { error: unknown }) {
  if (!error) return null;
  if (error instanceof ApiError && error.status === 400) return null;
  if (error instanceof ApiError && error.code === 'DEPLOYMENT_BLOCKED') {
    const parsed = gatesSchema.safeParse(detail(error, 'gates'));
    const gates: Gate[] = parsed.success ? parsed.data : [];
    return (
      <InlineError title="Not rolled back: a gate blocks it">
        <p>{error.message}</p>
        {gates.length > 0 ? <GateList gates={gates} label="Blocking gates" /> : null}
      </InlineError>
    );
  }
  if (error instanceof ApiError && error.code === 'DEPLOYMENT_IN_PROGRESS') {
    const parsed = deploymentRefSchema.safeParse(detail(error, 'deployment'));
    return (
      <InlineError title="Not rolled back: a deployment is in the way">
        <p>{error.message}</p>
        {parsed.success ? <Link to={deploymentPath(parsed.data.id)}>View that deployment</Link> : null}
      </InlineError>
    );
  }
  return <FormError error={error} title="Not rolled back" />;
}

function detail(error: ApiError, name: string): unknown {
  return error.details !== null && typeof error.details === 'object'
    ? (error.details as Record<string, unknown>)[name]
    : undefined;
}
