import { useNavigate } from 'react-router';
import { deploymentPath, servicePath } from '../service/service-paths';
import type { BoardRow, Environment, TierKind } from '@flightdeck/contracts';
import { Shield } from 'lucide-react';
import {
  lazy,
  Suspense,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
  type KeyboardEvent,
  type MouseEvent,
} from 'react';
import { Badge } from '../../components/ui/badge';
import { useNow } from '../../lib/use-now';
import { useCan } from '../auth/use-auth';
import type { PreviewTarget } from '../promotion-preview/preview-target';
import { useRollbackLauncher } from '../rollback/use-rollback-launcher';
import { LockStageDialog } from '../stage-lock/lock-stage-dialog';
import type { StageLockTarget } from '../stage-lock/stage-lock-target';
import { UnlockStageDialog } from '../stage-lock/unlock-stage-dialog';
import { useCanDeclareIncident } from '../incidents/declare-incident-button';
import { BoardRowView, type BoardCellAbilities, type BoardCellActions } from './board-row';
import { CELL_HEIGHT_VARS, rowHeight } from './board-row-height';
import { useBoardTooltip } from './board-tooltip';
import {
  declareTargetOf,
  lockTargetOf,
  previewTargetOf,
  rollbackTargetOf,
  type DeclareTarget,
} from './board-targets';
import { useGridNavigation } from './use-grid-navigation';
import { useVirtualRows } from './use-virtual-rows';
import { usePendingReasons } from './use-pending-reasons';

// Declaring an incident from a cell is rare: its dialog loads on first use too.
const DeclareIncidentDialog = lazy(() =>
  import('../incidents/declare-incident-dialog').then((module) => ({
    default: module.DeclareIncidentDialog,
  })),
);

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
  const heights = useMemo(() => rows.map((row) => rowHeight(row, environments)), [rows, environments]);
  const virtualRows = useVirtualRows(scroller, heights);
  const tooltip = useBoardTooltip();
  const { onKeyDown, onFocus, tabIndexOf } = useGridNavigation(grid, rows.length, environments.length + 1, {
    rendered: virtualRows.indexes,
    reveal: virtualRows.reveal,
  });
  // The server checks each stage (team, environment grants); the global permission decides whether to offer.
  const canDeploy = useCan('deployments:write');
  const canDeclare = useCanDeclareIncident();
  const [lockTarget, setLockTarget] = useState<StageLockTarget | null>(null);
  const navigate = useNavigate();
  const [previewTarget, setPreviewTarget] = useState<PreviewTarget | null>(null);
  const [declareTarget, setDeclareTarget] = useState<DeclareTarget | null>(null);
  const previewHintId = useId();
  const actionsHintId = useId();
  // Only the rows on screen ask why their deployment waits: one request per pending cell in view, not
  // per pending cell on the board.
  const pendingReasons = usePendingReasons(virtualRows.indexes.map((index) => rows[index]!));
  const rollback = useRollbackLauncher();
  // The launcher's functions are new on each render; the cells get stable ones that call the latest.
  const launcher = useRef(rollback);
  useLayoutEffect(() => {
    launcher.current = rollback;
  });
  const actions = useMemo<BoardCellActions>(
    () => ({
      openPreview: setPreviewTarget,
      openLock: setLockTarget,
      openDeclare: setDeclareTarget,
      openRollback: (target) => launcher.current.openRollback(target),
      openReleaseHold: (target) => launcher.current.openReleaseHold(target),
    }),
    [],
  );
  const abilities = useMemo<BoardCellAbilities>(
    () => ({ canDeploy, canDeclare, previewHintId, actionsHintId }),
    [canDeploy, canDeclare, previewHintId, actionsHintId],
  );

  // The focused cell's row, environment and cell, from its data-row / data-col.
  const cellAt = (target: HTMLElement) => {
    const row = rows[Number(target.dataset.row)];
    const environment = environments[Number(target.dataset.col) - 1];
    return row && environment ? { service: row.service, environment, cell: row.cells[environment.id] } : null;
  };

  // The cells' links are plain anchors (no router component per cell): a plain click routes in the app.
  const onGridClick = (event: MouseEvent<HTMLTableElement>) => {
    const link = (event.target as Element).closest<HTMLAnchorElement>('a[data-route]');
    const plainClick =
      event.button === 0 && !event.ctrlKey && !event.metaKey && !event.shiftKey && !event.altKey;
    if (!link || !plainClick || event.defaultPrevented) return;
    event.preventDefault();
    void navigate(link.getAttribute('href')!);
  };

  // Enter or Space on a focused stage opens its lock action, P its promotion preview, R its rollback, I the
  // incident declaration, D its last deployment; Enter on a service opens its page; arrows stay with the
  // grid navigation.
  const onGridKeyDown = (event: KeyboardEvent<HTMLTableElement>) => {
    const target = event.target as HTMLElement;
    const plainKey = !event.ctrlKey && !event.metaKey && !event.altKey;
    const key = event.key.toLowerCase();
    if (plainKey && event.key === 'Enter' && target.matches('th[data-row]')) {
      const row = rows[Number(target.dataset.row)];
      if (row) {
        event.preventDefault();
        void navigate(servicePath(row.service.slug));
        return;
      }
    }
    const at = target.matches('td[data-row]') ? cellAt(target) : null;
    if (at && plainKey && key === 'd' && at.cell?.lastDeployment) {
      event.preventDefault();
      void navigate(deploymentPath(at.cell.lastDeployment.id));
      return;
    }
    const preview =
      at && plainKey && key === 'p' ? previewTargetOf(at.service, at.environment, at.cell) : null;
    if (preview) {
      event.preventDefault();
      setPreviewTarget(preview);
      return;
    }
    const rollbackTarget =
      at && canDeploy && plainKey && key === 'r'
        ? rollbackTargetOf(at.service, at.environment, at.cell)
        : null;
    if (rollbackTarget) {
      event.preventDefault();
      rollback.openRollback(rollbackTarget);
      return;
    }
    const declare =
      at && canDeclare && plainKey && key === 'i'
        ? declareTargetOf(at.service, at.environment, at.cell, now)
        : null;
    if (declare) {
      event.preventDefault();
      setDeclareTarget(declare);
      return;
    }
    const stage =
      at && canDeploy && (event.key === 'Enter' || event.key === ' ')
        ? lockTargetOf(at.service, at.environment, at.cell)
        : null;
    if (stage) {
      event.preventDefault();
      setLockTarget(stage);
      return;
    }
    onKeyDown(event);
  };

  return (
    <div className="board-scroll" ref={scroller} {...tooltip.handlers}>
      <table
        ref={grid}
        role="grid"
        aria-label="Promotion board"
        aria-readonly="true"
        aria-rowcount={rows.length + 1}
        className="board-grid"
        style={{ '--env-count': environments.length, ...CELL_HEIGHT_VARS } as CSSProperties}
        onClick={onGridClick}
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
          {virtualRows.indexes.map((rowIndex) => {
            const row = rows[rowIndex]!;
            const tabCol = Array.from({ length: environments.length + 1 }, (_, col) => col).find(
              (col) => tabIndexOf(rowIndex, col) === 0,
            );
            return (
              <BoardRowView
                key={row.service.id}
                row={row}
                rowIndex={rowIndex}
                environments={environments}
                now={now}
                tabCol={tabCol ?? null}
                pendingReasons={pendingReasons}
                abilities={abilities}
                actions={actions}
                height={heights[rowIndex]!}
              />
            );
          })}
          <SpacerRow height={virtualRows.paddingBottom} columns={environments.length + 1} />
        </tbody>
      </table>
      {tooltip.tooltip}
      <p id={previewHintId} hidden>
        Press P to preview a promotion.
      </p>
      {canDeploy ? (
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
      {declareTarget ? (
        <Suspense fallback={null}>
          <DeclareIncidentDialog
            stageIds={declareTarget.stageIds}
            {...(declareTarget.deploymentId ? { deploymentId: declareTarget.deploymentId } : {})}
            context={declareTarget.context}
            onClose={() => setDeclareTarget(null)}
          />
        </Suspense>
      ) : null}
    </div>
  );
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
