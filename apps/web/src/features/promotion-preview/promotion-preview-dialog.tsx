import type { Gate, PromotionPreview, Release } from '@flightdeck/contracts';
import { useQuery } from '@tanstack/react-query';
import { ArrowRight, Info } from 'lucide-react';
import { useId, useState } from 'react';
import { Dialog } from '../../components/ui/dialog';
import { ErrorState } from '../../components/ui/error-state';
import { InlineNote } from '../../components/ui/field';
import { Skeleton } from '../../components/ui/skeleton';
import { describeError } from '../../lib/errors';
import { formatAge, formatMoment, formatTimestamp, shortSha } from '../../lib/time';
import { useNow } from '../../lib/use-now';
import { GATE_KIND_LABEL, GATE_STATE_META, orderGates, previewState } from './gate-meta';
import type { PreviewTarget } from './preview-target';
import { promotionPreviewQueryOptions, recentReleasesQueryOptions } from './preview-queries';
import './promotion-preview.css';

interface PromotionPreviewDialogProps {
  target: PreviewTarget;
  onClose: () => void;
}

// What deploying a release to a stage would do and what stands in the way. Read-only on purpose:
// deploying from Flightdeck arrives with the deployment engine.
export function PromotionPreviewDialog({ target, onClose }: PromotionPreviewDialogProps) {
  const [releaseId, setReleaseId] = useState<string | null>(null);
  const preview = useQuery({
    ...promotionPreviewQueryOptions(target.stageId, releaseId),
    placeholderData: (previous) => previous,
  });
  const releases = useQuery(recentReleasesQueryOptions(target.serviceSlug));
  const pickerId = useId();

  return (
    <Dialog
      open
      size="lg"
      title={`Promote ${target.serviceName} to ${target.environmentName}`}
      onClose={onClose}
      footer={
        <button type="button" className="button" onClick={onClose}>
          Done
        </button>
      }
    >
      <div className="preview" aria-busy={preview.isFetching || undefined}>
        <div className="preview-picker">
          <label htmlFor={pickerId} className="field-label">
            Release to preview
          </label>
          <select
            id={pickerId}
            className="input select"
            value={releaseId ?? ''}
            onChange={(event) => setReleaseId(event.target.value || null)}
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

        <InlineNote icon={<Info size={16} aria-hidden />}>
          This is a preview: nothing is deployed from here yet. Deploying from Flightdeck arrives with the
          deployment engine; until then, deploy with your usual tool and Flightdeck records it.
        </InlineNote>
      </div>
    </Dialog>
  );
}

function PreviewBody({ preview }: { preview: PromotionPreview }) {
  const now = useNow();
  const state = previewState(preview);
  const { Icon, tone } = GATE_STATE_META[state];
  const gates = orderGates(preview.gates);
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
        {gates.length === 0 ? (
          <p className="muted">No gates apply to this stage.</p>
        ) : (
          <ul className="gate-list" aria-label="Gates">
            {gates.map((gate, index) => (
              <GateRow key={`${gate.kind}-${index}`} gate={gate} now={now} />
            ))}
          </ul>
        )}
      </section>

      <Changes preview={preview} now={now} />
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

function GateRow({ gate, now }: { gate: Gate; now: number }) {
  const { tone, Icon, label } = GATE_STATE_META[gate.state];
  return (
    <li className="gate-row" data-state={gate.state} data-kind={gate.kind}>
      <span className="status-pill gate-state" data-tone={tone}>
        <Icon className="status-icon" size={13} strokeWidth={2.25} aria-hidden />
        <span className="status-label">{label}</span>
      </span>
      <span className="gate-kind">{GATE_KIND_LABEL[gate.kind]}</span>
      <span className="gate-message">
        {gate.message}
        {gate.until && gate.state !== 'pass' ? (
          <>
            {' '}
            <time className="muted" dateTime={gate.until} title={formatTimestamp(gate.until)}>
              (until {formatMoment(gate.until, now)})
            </time>
          </>
        ) : null}
      </span>
    </li>
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
        <div className="table-wrap preview-releases">
          <table
            className="table table-compact"
            aria-label={direction === 'backward' ? 'Releases reverted' : 'Releases deployed'}
          >
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Commit</th>
                <th scope="col">Notes</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {releases.map((release) => (
                <tr key={release.id}>
                  <th scope="row" className="mono cell-strong">
                    {release.version}
                  </th>
                  <td className="mono" title={release.commitSha}>
                    {shortSha(release.commitSha)}
                  </td>
                  <td className="preview-notes" title={release.notes || undefined}>
                    {firstLine(release.notes) || <span className="muted">No notes</span>}
                  </td>
                  <td>
                    <time dateTime={release.createdAt} title={formatTimestamp(release.createdAt)}>
                      {formatAge(release.createdAt, now)}
                    </time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

function firstLine(notes: string): string {
  return notes.split('\n', 1)[0]?.trim() ?? '';
}
