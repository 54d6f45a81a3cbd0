import type { BoardCell, Environment } from '@flightdeck/contracts';
import { isActive, isTerminal } from '@flightdeck/contracts';
import type { ReactNode } from 'react';
import { Tooltip } from '../../components/ui/tooltip';
import { formatAge, formatMoment, formatTimestamp, shortSha } from '../../lib/time';
import {
  DEPLOYMENT_KIND_LABEL,
  DEPLOYMENT_STATUS_META,
  HEALTH_STATUS_META,
  type StatusMeta,
} from '../status/status-meta';
import { HoldMarker } from '../rollback/hold-marker';
import { BoardIcon, BoardStatusIcon } from './board-icons';
import { pendingRelease } from './board-model';

interface BoardCellContentProps {
  cell: BoardCell | undefined;
  waitingFrom: Environment | null;
  now: number;
  // The stage's action button (lock or unlock), when the user may take it.
  action?: ReactNode;
  // Opens the promotion preview from the "ready" marker.
  onPreview?: () => void;
  // What the pending deployment waits for, once known.
  waitingFor?: string | undefined;
  // Releases a rollback's hold, for users who may.
  onReleaseHold?: (() => void) | undefined;
}

const FREEZE_SCOPE_LABEL = {
  all: 'everything',
  environment: 'this environment',
  service: 'this service',
} as const;

export function BoardCellContent(props: BoardCellContentProps) {
  const { cell, waitingFrom, now, action, onPreview, waitingFor, onReleaseHold } = props;
  if (!cell) {
    return <span className="cell-absent">Not in this environment</span>;
  }
  const last = cell.lastDeployment;
  const moving = pendingRelease(cell);
  const showHealth = Boolean(cell.current) || cell.health !== 'unknown';
  const flying = last && !isTerminal(last.status) ? last.status : undefined;

  return (
    <div className="cell" data-flight={flying}>
      <div className="cell-head" data-locked={cell.lock ? 'true' : undefined}>
        {cell.current ? (
          <span
            className="cell-version mono"
            title={`${cell.current.version} · commit ${cell.current.commitSha}`}
          >
            {cell.current.version}
          </span>
        ) : (
          <span className="cell-version cell-version-empty">Never deployed</span>
        )}
        {cell.current ? <span className="cell-sha mono">{shortSha(cell.current.commitSha)}</span> : null}
        <span className="cell-flags">
          {cell.driverKind === 'sandbox' ? (
            <span
              className="cell-sandbox"
              title="Sandbox driver: a simulated target, nothing real is deployed"
            >
              <BoardIcon name="flask-conical" size={11} />
              sandbox
            </span>
          ) : null}
        </span>
        {/* Over the head's right end, shown on hover or focus: hidden, they would take the version's room. */}
        {action ? <span className="board-cell-actions">{action}</span> : null}
      </div>

      {last || showHealth ? (
        <div className="cell-status">
          {last ? (
            <CellStatusPill meta={DEPLOYMENT_STATUS_META[last.status]}>
              {moving ? (
                <span className="status-target mono" title={`commit ${moving.commitSha}`}>
                  {moving.version}
                </span>
              ) : null}
            </CellStatusPill>
          ) : null}
          {showHealth ? (
            <CellStatusPill meta={HEALTH_STATUS_META[cell.health]} title={cell.healthMessage} />
          ) : null}
        </div>
      ) : null}

      {flying && last && isActive(last.status) ? (
        <span className="cell-progress" aria-hidden>
          <span />
        </span>
      ) : null}

      {/* Its line is kept while what it waits for is asked (board-row-height.ts): the row does not jump. */}
      {flying === 'pending' ? (
        <div className="cell-marker" data-kind="pending" title={waitingFor}>
          <BoardIcon name="hourglass" size={12} />
          <span className="truncate">{waitingFor ? `Waiting: ${waitingFor}` : 'Waiting…'}</span>
        </div>
      ) : null}

      {last?.breakGlass ? (
        <div
          className="cell-marker"
          data-kind="break-glass"
          title="Break glass: an admin deployed through failing gates. The deployment page has the reason."
        >
          <BoardIcon name="siren" size={12} />
          <span className="truncate">Break glass</span>
        </div>
      ) : null}

      {cell.deployedAt || (last && last.kind !== 'promote') ? (
        <div className="cell-meta">
          {cell.deployedAt ? (
            <time dateTime={cell.deployedAt} title={`Deployed ${formatTimestamp(cell.deployedAt)}`}>
              {formatAge(cell.deployedAt, now)}
            </time>
          ) : null}
          {last && last.kind !== 'promote' ? (
            <span className="cell-kind" data-kind={last.kind}>
              {DEPLOYMENT_KIND_LABEL[last.kind]}
            </span>
          ) : null}
        </div>
      ) : null}

      {cell.waiting ? (
        <WaitingMarker waiting={cell.waiting} waitingFrom={waitingFrom} onPreview={onPreview} />
      ) : null}

      {cell.freeze ? (
        <Tooltip
          className="cell-marker-wrap"
          content={`Frozen (${FREEZE_SCOPE_LABEL[cell.freeze.scope]}) until ${formatTimestamp(cell.freeze.until)}: ${cell.freeze.reason}`}
        >
          <span className="cell-marker" data-kind="freeze">
            <BoardIcon name="snowflake" size={12} />
            <span className="truncate">
              Frozen until <time dateTime={cell.freeze.until}>{formatMoment(cell.freeze.until, now)}</time>
            </span>
          </span>
        </Tooltip>
      ) : null}

      {cell.hold ? <HoldMarker hold={cell.hold} onRelease={onReleaseHold} /> : null}

      {cell.lock ? (
        <div
          className="cell-marker"
          data-kind="lock"
          title={`Locked by ${cell.lock.by} (${formatTimestamp(cell.lock.at)}): ${cell.lock.reason}`}
        >
          <BoardIcon name="lock" size={12} />
          <span className="truncate">
            Locked by {cell.lock.by}
            {cell.lock.reason ? <span className="cell-lock-reason"> · {cell.lock.reason}</span> : null}
          </span>
        </div>
      ) : null}
    </div>
  );
}

interface WaitingMarkerProps {
  waiting: NonNullable<BoardCell['waiting']>;
  waitingFrom: Environment | null;
  onPreview: (() => void) | undefined;
}

function WaitingMarker({ waiting, waitingFrom, onPreview }: WaitingMarkerProps) {
  const content = (
    <>
      <BoardIcon name="arrow-up-right" size={12} />
      <span className="truncate">
        <span className="mono">{waiting.version}</span> ready
        {waitingFrom ? ` from ${waitingFrom.name}` : ' to promote'}
      </span>
    </>
  );
  if (!onPreview) {
    return (
      <div className="cell-marker" data-kind="waiting" title={`commit ${waiting.commitSha}`}>
        {content}
      </div>
    );
  }
  // Out of the Tab order like the cell's other actions: P on the focused cell opens the same preview.
  return (
    <button
      type="button"
      className="cell-marker cell-marker-button"
      data-kind="waiting"
      tabIndex={-1}
      title={`Preview promoting ${waiting.version} (commit ${waiting.commitSha})`}
      onClick={onPreview}
    >
      {content}
    </button>
  );
}

// The status pill's markup (components/ui/status-pill.tsx: colour, icon and text) with the board's icon.
function CellStatusPill(props: { meta: StatusMeta; title?: string | undefined; children?: ReactNode }) {
  const { meta, title, children } = props;
  return (
    <span
      className="status-pill"
      data-tone={meta.tone}
      data-quiet={meta.quiet || undefined}
      title={title || undefined}
    >
      <BoardStatusIcon Icon={meta.Icon} className={meta.spinning ? 'status-icon spin' : 'status-icon'} />
      <span className="status-label">{meta.label}</span>
      {children}
    </span>
  );
}
