import type { BoardCell, BoardRow, Environment } from '@flightdeck/contracts';
import { memo, type CSSProperties, type ReactNode } from 'react';
import type { PreviewTarget } from '../promotion-preview/preview-target';
import type { HoldTarget, RollbackTarget } from '../rollback/rollback-target';
import { deploymentPath, servicePath } from '../service/service-paths';
import type { StageLockTarget } from '../stage-lock/stage-lock-target';
import { BoardCellContent } from './board-cell';
import { BoardIcon, type BoardIconName } from './board-icons';
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
  // From the row's data (board-row-height.ts): the virtualiser never measures it.
  height: number;
}

// Scrolling the board re-renders the grid every frame; a row renders again only when its own data (or
// the minute ticker) changes, so a frame costs the rows that scroll into view, not all of them.
export const BoardRowView = memo(function BoardRowView(props: BoardRowViewProps) {
  const { row, rowIndex, environments, now, tabCol, pendingReasons, abilities, actions, height } = props;
  return (
    <tr aria-rowindex={rowIndex + 2} style={{ '--row-height': `${height}px` } as CSSProperties}>
      <th
        scope="row"
        className="board-service"
        data-row={rowIndex}
        data-col={0}
        tabIndex={tabCol === 0 ? 0 : -1}
      >
        {/* A plain link: the grid routes its clicks (board-grid.tsx), no router component per row. */}
        <a
          className="service-name"
          href={servicePath(row.service.slug)}
          data-route
          tabIndex={-1}
          title={row.service.name}
        >
          {row.service.name}
        </a>
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
  const where = `${service.name} in ${environment.name}`;
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
            {last
              ? cellLink({
                  href: deploymentPath(last.id),
                  label: `View deployment of ${where}`,
                  tip: 'View deployment',
                  icon: 'file-clock',
                })
              : null}
            {preview
              ? cellButton({
                  label: `Preview promotion of ${service.name} to ${environment.name}…`,
                  tip: 'Preview promotion…',
                  icon: 'list-checks',
                  onClick: () => actions.openPreview(preview),
                })
              : null}
            {rollback
              ? cellButton({
                  label: `Roll back ${where}…`,
                  tip: 'Roll back…',
                  icon: 'undo',
                  onClick: () => actions.openRollback(rollback),
                })
              : null}
            {declare
              ? cellButton({
                  label: `Declare incident on ${where}…`,
                  tip: 'Declare incident…',
                  icon: 'siren',
                  onClick: () => actions.openDeclare(declare),
                })
              : null}
            {lock
              ? cellButton({
                  label: lock.lock ? `Unlock ${where}…` : `Lock ${where}…`,
                  tip: lock.lock ? 'Unlock this stage…' : 'Lock this stage…',
                  icon: lock.lock ? 'lock-open' : 'lock',
                  locked: Boolean(lock.lock),
                  onClick: () => actions.openLock(lock),
                })
              : null}
          </>
        }
      />
    </td>
  );
});

interface CellActionProps {
  label: string;
  // Shown by the board's one tooltip (board-tooltip.tsx) on hover or focus.
  tip: string;
  icon: BoardIconName;
}

// Plain elements, not components: a row scrolling in renders five of these per cell. Out of the Tab
// order: the grid keeps one tab stop, and the cell's keys (D, P, R, I, Enter) do the same.
function cellButton(props: CellActionProps & { onClick: () => void; locked?: boolean }): ReactNode {
  return (
    <button
      type="button"
      className="icon-button cell-action"
      data-locked={props.locked ? 'true' : undefined}
      tabIndex={-1}
      aria-label={props.label}
      data-tip={props.tip}
      onClick={props.onClick}
    >
      <BoardIcon name={props.icon} size={13} />
    </button>
  );
}

// The stage's last deployment, in flight or finished: its page has the gates, the driver and the log.
function cellLink(props: CellActionProps & { href: string }): ReactNode {
  return (
    <a
      className="icon-button cell-action"
      tabIndex={-1}
      href={props.href}
      data-route
      aria-label={props.label}
      data-tip={props.tip}
    >
      <BoardIcon name={props.icon} size={13} />
    </a>
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
