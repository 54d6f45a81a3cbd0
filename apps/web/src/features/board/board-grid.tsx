import { Link, useNavigate } from 'react-router';
import { deploymentPath, servicePath } from '../service/service-paths';
import type { BoardRow, Environment, TierKind } from '@flightdeck/contracts';
import { FileClock, ListChecks, Lock, LockOpen, Shield } from 'lucide-react';
import { lazy, Suspense, useId, useRef, useState, type CSSProperties, type KeyboardEvent } from 'react';
import { Badge } from '../../components/ui/badge';
import { Tooltip } from '../../components/ui/tooltip';
import { useNow } from '../../lib/use-now';
import { useCan } from '../auth/use-auth';
import type { PreviewTarget } from '../promotion-preview/preview-target';
import { RollbackAction } from '../rollback/rollback-action';
import type { RollbackTarget } from '../rollback/rollback-target';
import { useRollbackLauncher } from '../rollback/use-rollback-launcher';
import { LockStageDialog } from '../stage-lock/lock-stage-dialog';
import type { StageLockTarget } from '../stage-lock/stage-lock-target';
import { UnlockStageDialog } from '../stage-lock/unlock-stage-dialog';
import { BoardCellContent } from './board-cell';
import { waitingSource } from './board-model';
import { describeCell } from './describe-cell';
import { useGridNavigation } from './use-grid-navigation';
import { useVirtualRows } from './use-virtual-rows';
import { usePendingReasons } from './use-pending-reasons';

// The preview (and deploying from it) loads on first use: the board itself is what a first visit needs.
const PromotionPreviewDialog = lazy(() =>
  import('../promotion-preview/promotion-preview-dialog').then((module) => ({
    default: module.PromotionPreviewDialog,
  })),
);

const TIER_LABEL: Record<TierKind, string> = {
  development: 'Development',
  staging: 'Staging',
  production: 'Production',
};

// "Staging · Staging" says nothing twice; the tier shows when the name does not already carry it.
const TIER_STEMS: Record<TierKind, readonly string[]> = {
  development: ['dev'],
  staging: ['stag', 'stg'],
  production: ['prod', 'prd'],
};

function nameCarriesTier(environment: Environment): boolean {
  const name = environment.name.toLowerCase();
  return TIER_STEMS[environment.tier].some((stem) => name.startsWith(stem));
}

function EnvironmentHeader({ environment }: { environment: Environment }) {
  const production = environment.tier === 'production';
  const showTier = !nameCarriesTier(environment);
  return (
    <span className="env-header" title={`${environment.name} · ${TIER_LABEL[environment.tier]} tier`}>
      {production ? (
        <Shield
          className="env-prod-mark"
          size={13}
          strokeWidth={2.25}
          role="img"
          aria-label="Production tier"
        />
      ) : null}
      <span className="env-name">{environment.name}</span>
      {showTier ? (
        <Badge
          tone={production ? 'accent' : 'neutral'}
          variant={environment.tier === 'development' ? 'outline' : 'soft'}
        >
          {TIER_LABEL[environment.tier]}
        </Badge>
      ) : null}
    </span>
  );
}

interface BoardGridProps {
  environments: readonly Environment[];
  rows: readonly BoardRow[];
}

export function BoardGrid({ environments, rows }: BoardGridProps) {
  const grid = useRef<HTMLTableElement>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const now = useNow();
  const virtualRows = useVirtualRows(scroller, rows.length);
  const { onKeyDown, onFocus, tabIndexOf } = useGridNavigation(grid, rows.length, environments.length + 1, {
    rendered: virtualRows.indexes,
    reveal: virtualRows.reveal,
  });
  // The server checks each stage (team, environment grants); the global permission decides whether to offer.
  const canLock = useCan('deployments:write');
  const [lockTarget, setLockTarget] = useState<StageLockTarget | null>(null);
  const navigate = useNavigate();
  const [previewTarget, setPreviewTarget] = useState<PreviewTarget | null>(null);
  const actionsHintId = useId();
  const previewHintId = useId();
  // Only the rows on screen ask why their deployment waits: one request per pending cell in view, not
  // per pending cell on the board.
  const pendingReasons = usePendingReasons(virtualRows.indexes.map((index) => rows[index]!));
  const rollback = useRollbackLauncher();

  // Rolling back needs something running there, and the permission to deploy.
  const rollbackTargetOf = (row: BoardRow, environment: Environment): RollbackTarget | null => {
    const cell = row.cells[environment.id];
    if (!canLock || !cell?.current) return null;
    return {
      stageId: cell.stageId,
      serviceSlug: row.service.slug,
      serviceName: row.service.name,
      environmentName: environment.name,
    };
  };

  const previewTargetOf = (row: BoardRow, environment: Environment): PreviewTarget | null => {
    const cell = row.cells[environment.id];
    if (!cell) return null;
    return {
      stageId: cell.stageId,
      serviceSlug: row.service.slug,
      serviceName: row.service.name,
      environmentName: environment.name,
      driverKind: cell.driverKind,
    };
  };

  const targetOf = (row: BoardRow, environment: Environment): StageLockTarget | null => {
    const cell = row.cells[environment.id];
    if (!cell) return null;
    return {
      stageId: cell.stageId,
      serviceName: row.service.name,
      environmentName: environment.name,
      lock: cell.lock,
    };
  };

  // Enter or Space on a focused stage opens its lock action, P its promotion preview, Enter on a service
  // opens its page; arrows stay with the grid navigation.
  const onGridKeyDown = (event: KeyboardEvent<HTMLTableElement>) => {
    const target = event.target as HTMLElement;
    const plainKey = !event.ctrlKey && !event.metaKey && !event.altKey;
    if (plainKey && event.key === 'Enter' && target.matches('th[data-row]')) {
      const row = rows[Number(target.dataset.row)];
      if (row) {
        event.preventDefault();
        void navigate(servicePath(row.service.slug));
        return;
      }
    }
    if (plainKey && (event.key === 'd' || event.key === 'D') && target.matches('td[data-row]')) {
      const row = rows[Number(target.dataset.row)];
      const environment = environments[Number(target.dataset.col) - 1];
      const last = row && environment ? row.cells[environment.id]?.lastDeployment : null;
      if (last) {
        event.preventDefault();
        void navigate(deploymentPath(last.id));
        return;
      }
    }
    if (plainKey && (event.key === 'p' || event.key === 'P') && target.matches('td[data-row]')) {
      const row = rows[Number(target.dataset.row)];
      const environment = environments[Number(target.dataset.col) - 1];
      const stage = row && environment ? previewTargetOf(row, environment) : null;
      if (stage) {
        event.preventDefault();
        setPreviewTarget(stage);
        return;
      }
    }
    if (plainKey && (event.key === 'r' || event.key === 'R') && target.matches('td[data-row]')) {
      const row = rows[Number(target.dataset.row)];
      const environment = environments[Number(target.dataset.col) - 1];
      const stage = row && environment ? rollbackTargetOf(row, environment) : null;
      if (stage) {
        event.preventDefault();
        rollback.openRollback(stage);
        return;
      }
    }
    if (canLock && (event.key === 'Enter' || event.key === ' ') && target.matches('td[data-row]')) {
      const row = rows[Number(target.dataset.row)];
      const environment = environments[Number(target.dataset.col) - 1];
      const stage = row && environment ? targetOf(row, environment) : null;
      if (stage) {
        event.preventDefault();
        setLockTarget(stage);
        return;
      }
    }
    onKeyDown(event);
  };

  return (
    <div className="board-scroll" ref={scroller}>
      <table
        ref={grid}
        role="grid"
        aria-label="Promotion board"
        aria-readonly="true"
        aria-rowcount={rows.length + 1}
        className="board-grid"
        style={{ '--env-count': environments.length } as CSSProperties}
        onKeyDown={onGridKeyDown}
        onFocus={onFocus}
      >
        <thead>
          <tr>
            <th scope="col" className="board-corner">
              Service
            </th>
            {environments.map((environment) => (
              <th key={environment.id} scope="col" className="board-env" data-tier={environment.tier}>
                <EnvironmentHeader environment={environment} />
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          <SpacerRow height={virtualRows.paddingTop} columns={environments.length + 1} />
          {virtualRows.indexes
            .map((rowIndex) => ({ row: rows[rowIndex]!, rowIndex }))
            .map(({ row, rowIndex }) => (
              <tr
                key={row.service.id}
                ref={virtualRows.measureRow}
                data-index={rowIndex}
                aria-rowindex={rowIndex + 2}
              >
                <th
                  scope="row"
                  className="board-service"
                  data-row={rowIndex}
                  data-col={0}
                  tabIndex={tabIndexOf(rowIndex, 0)}
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
                  const from = cell ? waitingSource(row, environments, envIndex, cell) : null;
                  const stage = canLock ? targetOf(row, environment) : null;
                  const preview = previewTargetOf(row, environment);
                  const last = cell?.lastDeployment ?? null;
                  const waitingFor = last ? pendingReasons.get(last.id) : undefined;
                  const rollbackTarget = rollbackTargetOf(row, environment);
                  const describedBy = [preview ? previewHintId : null, stage ? actionsHintId : null]
                    .filter(Boolean)
                    .join(' ');
                  return (
                    <td
                      key={environment.id}
                      role="gridcell"
                      className="board-cell"
                      data-tier={environment.tier}
                      data-state={cellState(cell)}
                      data-row={rowIndex}
                      data-col={envIndex + 1}
                      tabIndex={tabIndexOf(rowIndex, envIndex + 1)}
                      aria-label={describeCell(row, environment, cell, from, now, waitingFor)}
                      aria-describedby={describedBy || undefined}
                      aria-keyshortcuts={
                        [
                          preview ? 'P' : null,
                          last ? 'D' : null,
                          rollbackTarget ? 'R' : null,
                          stage ? 'Enter' : null,
                        ]
                          .filter(Boolean)
                          .join(' ') || undefined
                      }
                    >
                      <BoardCellContent
                        cell={cell}
                        waitingFrom={from}
                        now={now}
                        onPreview={preview ? () => setPreviewTarget(preview) : undefined}
                        waitingFor={waitingFor}
                        onReleaseHold={
                          canLock && cell?.hold && preview
                            ? () => rollback.openReleaseHold({ ...preview, hold: cell.hold! })
                            : undefined
                        }
                        action={
                          <>
                            {last ? (
                              <DeploymentAction
                                id={last.id}
                                where={`${row.service.name} in ${environment.name}`}
                              />
                            ) : null}
                            {preview ? <PreviewAction stage={preview} onOpen={setPreviewTarget} /> : null}
                            {rollbackTarget ? (
                              <RollbackAction stage={rollbackTarget} onOpen={rollback.openRollback} />
                            ) : null}
                            {stage ? <LockAction stage={stage} onOpen={setLockTarget} /> : null}
                          </>
                        }
                      />
                    </td>
                  );
                })}
              </tr>
            ))}
          <SpacerRow height={virtualRows.paddingBottom} columns={environments.length + 1} />
        </tbody>
      </table>
      <p id={previewHintId} hidden>
        Press P to preview a promotion.
      </p>
      {canLock ? (
        <p id={actionsHintId} hidden>
          Press Enter to lock or unlock this stage.
        </p>
      ) : null}
      {lockTarget && !lockTarget.lock ? (
        <LockStageDialog target={lockTarget} onClose={() => setLockTarget(null)} />
      ) : null}
      {lockTarget?.lock ? (
        <UnlockStageDialog target={lockTarget} onClose={() => setLockTarget(null)} />
      ) : null}
      {rollback.dialogs}
      {previewTarget ? (
        <Suspense fallback={null}>
          <PromotionPreviewDialog target={previewTarget} onClose={() => setPreviewTarget(null)} />
        </Suspense>
      ) : null}
    </div>
  );
}

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
function cellState(cell: BoardRow['cells'][string] | undefined): string {
  if (!cell) return 'absent';
  const status = cell.lastDeployment?.status;
  if (status === 'failed' || status === 'timed_out') return 'failed';
  if (status === 'queued' || status === 'running' || status === 'verifying') return 'active';
  if (status === 'pending') return 'pending';
  if (!cell.current && !cell.lastDeployment) return 'empty';
  return 'idle';
}

// Stands in for the rows not rendered, so the scrollbar and scroll position stay true.
function SpacerRow({ height, columns }: { height: number; columns: number }) {
  if (height <= 0) return null;
  return (
    <tr aria-hidden="true" className="board-spacer">
      <td colSpan={columns} style={{ height }} />
    </tr>
  );
}
