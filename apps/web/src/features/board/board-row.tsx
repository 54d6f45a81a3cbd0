import type { BoardCell, BoardRow, Environment } from '@flightdeck/contracts';
import { FileClock, ListChecks, Lock, LockOpen, Siren } from 'lucide-react';
import { memo } from 'react';
import { Link } from 'react-router';
import { Tooltip } from '../../components/ui/tooltip';
import type { PreviewTarget } from '../promotion-preview/preview-target';
import { RollbackAction } from '../rollback/rollback-action';
import type { HoldTarget, RollbackTarget } from '../rollback/rollback-target';
import { deploymentPath, servicePath } from '../service/service-paths';
import type { StageLockTarget } from '../stage-lock/stage-lock-target';
import { BoardCellContent } from './board-cell';
import { waitingSource } from './board-model';
import {
  declareTargetOf,
  lockTargetOf,
  previewTargetOf,
  rollbackTargetOf,
  type DeclareTarget,
} from './board-targets';
import { describeCell } from './describe-cell';

// What a cell's buttons open. One object for the whole board, stable across renders, so rows and cells
// can skip rendering when their own data has not changed.
export interface BoardCellActions {
  openPreview: (target: PreviewTarget) => void;
  openLock: (target: StageLockTarget) => void;
  openRollback: (target: RollbackTarget) => void;
  openReleaseHold: (target: HoldTarget) => void;
  openDeclare: (target: DeclareTarget) => void;
}

// Who may do what, and the hidden hints the cells point at: the same for every cell.
export interface BoardCellAbilities {
  canDeploy: boolean;
  canDeclare: boolean;
  previewHintId: string;
  actionsHintId: string;
}

interface BoardRowViewProps {
  row: BoardRow;
  rowIndex: number;
  environments: readonly Environment[];
  now: number;
  // The column of the grid's one Tab stop when it is in this row, else null.
  tabCol: number | null;
  // What pending deployments wait for, by deployment id (only this row's entries matter).
  pendingReasons: ReadonlyMap<string, string>;
  abilities: BoardCellAbilities;
  actions: BoardCellActions;
  measureRow: ((row: HTMLTableRowElement | null) => void) | undefined;
}

// Scrolling the board re-renders the grid every frame; a row renders again only when its own data (or
// the minute ticker) changes, so a frame costs the rows that scroll into view, not all of them.
export const BoardRowView = memo(function BoardRowView(props: BoardRowViewProps) {
  const { row, rowIndex, environments, now, tabCol, pendingReasons, abilities, actions, measureRow } = props;
  return (
    <tr ref={measureRow} data-index={rowIndex} aria-rowindex={rowIndex + 2}>
      <th
        scope="row"
        className="board-service"
        data-row={rowIndex}
        data-col={0}
        tabIndex={tabCol === 0 ? 0 : -1}
      >
        <Link className="service-name" to={servicePath(row.service.slug)} tabIndex={-1}>
          {row.service.name}
        </Link>
        <span className="service-sub">
          <span className="mono">{row.service.slug}</span>
          {row.service.team ? <span className="service-team">{row.service.team}</span> : null}
        </span>
      </th>
      {environments.map((environment, envIndex) => {
        const cell = row.cells[environment.id];
        const last = cell?.lastDeployment;
        return (
          <BoardCellView
            key={environment.id}
            service={row.service}
            environment={environment}
            cell={cell}
            waitingFrom={cell ? waitingSource(row, environments, envIndex, cell) : null}
            rowIndex={rowIndex}
            col={envIndex + 1}
            tabbable={tabCol === envIndex + 1}
            now={now}
            waitingFor={last ? pendingReasons.get(last.id) : undefined}
            abilities={abilities}
            actions={actions}
          />
        );
      })}
    </tr>
  );
}, sameRow);

// Shallow equality, except that the pending reasons compare by this row's deployments only: the map
// changes whenever a pending deployment scrolls into view anywhere on the board.
function sameRow(before: BoardRowViewProps, after: BoardRowViewProps): boolean {
  for (const key of Object.keys(after) as (keyof BoardRowViewProps)[]) {
    if (key !== 'pendingReasons' && before[key] !== after[key]) return false;
  }
  return Object.values(after.row.cells).every((cell) => {
    const id = cell.lastDeployment?.id;
    return !id || before.pendingReasons.get(id) === after.pendingReasons.get(id);
  });
}

interface BoardCellViewProps {
  service: BoardRow['service'];
  environment: Environment;
  cell: BoardCell | undefined;
  waitingFrom: Environment | null;
  rowIndex: number;
  col: number;
  tabbable: boolean;
  now: number;
  waitingFor: string | undefined;
  abilities: BoardCellAbilities;
  actions: BoardCellActions;
}

// A row renders again when one of its cells changes; the other cells (their props all equal) do not.
const BoardCellView = memo(function BoardCellView(props: BoardCellViewProps) {
  const { service, environment, cell, waitingFrom, rowIndex, col, tabbable, now, waitingFor } = props;
  const { abilities, actions } = props;
  const lock = abilities.canDeploy ? lockTargetOf(service, environment, cell) : null;
  const preview = previewTargetOf(service, environment, cell);
  const rollback = abilities.canDeploy ? rollbackTargetOf(service, environment, cell) : null;
  const declare = abilities.canDeclare ? declareTargetOf(service, environment, cell, now) : null;
  const last = cell?.lastDeployment ?? null;
  const describedBy = [preview ? abilities.previewHintId : null, lock ? abilities.actionsHintId : null]
    .filter(Boolean)
    .join(' ');
  const shortcuts = [
    preview ? 'P' : null,
    last ? 'D' : null,
    rollback ? 'R' : null,
    declare ? 'I' : null,
    lock ? 'Enter' : null,
  ].filter(Boolean);
  return (
    <td
      role="gridcell"
      className="board-cell"
      data-tier={environment.tier}
      data-state={cellState(cell)}
      data-row={rowIndex}
      data-col={col}
      tabIndex={tabbable ? 0 : -1}
      aria-label={describeCell(service, environment, cell, waitingFrom, now, waitingFor)}
      aria-describedby={describedBy || undefined}
      aria-keyshortcuts={shortcuts.join(' ') || undefined}
    >
      <BoardCellContent
        cell={cell}
        waitingFrom={waitingFrom}
        now={now}
        onPreview={preview ? () => actions.openPreview(preview) : undefined}
        waitingFor={waitingFor}
        onReleaseHold={
          abilities.canDeploy && cell?.hold && preview
            ? () => actions.openReleaseHold({ ...preview, hold: cell.hold! })
            : undefined
        }
        action={
          <>
            {last ? <DeploymentAction id={last.id} where={`${service.name} in ${environment.name}`} /> : null}
            {preview ? <PreviewAction stage={preview} onOpen={actions.openPreview} /> : null}
            {rollback ? <RollbackAction stage={rollback} onOpen={actions.openRollback} /> : null}
            {declare ? (
              <DeclareAction
                target={declare}
                where={`${service.name} in ${environment.name}`}
                onOpen={actions.openDeclare}
              />
            ) : null}
            {lock ? <LockAction stage={lock} onOpen={actions.openLock} /> : null}
          </>
        }
      />
    </td>
  );
});

// The stage's last deployment, in flight or finished: its page has the gates, the driver and the log.
function DeploymentAction({ id, where }: { id: string; where: string }) {
  return (
    <Tooltip content="View deployment">
      <Link
        className="icon-button cell-action"
        tabIndex={-1}
        to={deploymentPath(id)}
        aria-label={`View deployment of ${where}`}
      >
        <FileClock size={13} aria-hidden />
      </Link>
    </Tooltip>
  );
}

// Out of the Tab order: the grid keeps one tab stop, and P on the cell does the same.
function PreviewAction({ stage, onOpen }: { stage: PreviewTarget; onOpen: (stage: PreviewTarget) => void }) {
  return (
    <Tooltip content="Preview promotion…">
      <button
        type="button"
        className="icon-button cell-action"
        tabIndex={-1}
        aria-label={`Preview promotion of ${stage.serviceName} to ${stage.environmentName}…`}
        onClick={() => onOpen(stage)}
      >
        <ListChecks size={13} aria-hidden />
      </button>
    </Tooltip>
  );
}

// Out of the Tab order: the grid keeps one tab stop, and I on the cell does the same.
function DeclareAction(props: {
  target: DeclareTarget;
  where: string;
  onOpen: (target: DeclareTarget) => void;
}) {
  const { target, where, onOpen } = props;
  return (
    <Tooltip content="Declare incident…">
      <button
        type="button"
        className="icon-button cell-action"
        tabIndex={-1}
        aria-label={`Declare incident on ${where}…`}
        onClick={() => onOpen(target)}
      >
        <Siren size={13} aria-hidden />
      </button>
    </Tooltip>
  );
}

// Out of the Tab order: the grid keeps one tab stop, and Enter on the cell does the same.
function LockAction({ stage, onOpen }: { stage: StageLockTarget; onOpen: (stage: StageLockTarget) => void }) {
  const where = `${stage.serviceName} in ${stage.environmentName}`;
  const label = stage.lock ? `Unlock ${where}…` : `Lock ${where}…`;
  return (
    <Tooltip content={stage.lock ? 'Unlock this stage…' : 'Lock this stage…'}>
      <button
        type="button"
        className="icon-button cell-action"
        data-locked={stage.lock ? 'true' : undefined}
        tabIndex={-1}
        aria-label={label}
        onClick={() => onOpen(stage)}
      >
        {stage.lock ? <LockOpen size={13} aria-hidden /> : <Lock size={13} aria-hidden />}
      </button>
    </Tooltip>
  );
}

// Drives the subtle cell accent (left edge) so trouble is visible at a glance across a wide board.
function cellState(cell: BoardCell | undefined): string {
  if (!cell) return 'absent';
  const status = cell.lastDeployment?.status;
  if (status === 'failed' || status === 'timed_out') return 'failed';
  if (status === 'queued' || status === 'running' || status === 'verifying') return 'active';
  if (status === 'pending') return 'pending';
  if (!cell.current && !cell.lastDeployment) return 'empty';
  return 'idle';
}
