import type { BoardCell, BoardRow, Environment } from '@flightdeck/contracts';
import type { PreviewTarget } from '../promotion-preview/preview-target';
import type { RollbackTarget } from '../rollback/rollback-target';
import type { StageLockTarget } from '../stage-lock/stage-lock-target';

// What each of a board cell's actions acts on; null when the action does not apply to the cell. Shared
// by the cell's buttons and the grid's keyboard shortcuts, so both always offer the same.

type Service = BoardRow['service'];

export function previewTargetOf(
  service: Service,
  environment: Environment,
  cell: BoardCell | undefined,
): PreviewTarget | null {
  if (!cell) return null;
  return {
    stageId: cell.stageId,
    serviceSlug: service.slug,
    serviceName: service.name,
    environmentName: environment.name,
    driverKind: cell.driverKind,
  };
}

// Rolling back needs something running there (the caller checks the permission to deploy).
export function rollbackTargetOf(
  service: Service,
  environment: Environment,
  cell: BoardCell | undefined,
): RollbackTarget | null {
  if (!cell?.current) return null;
  return {
    stageId: cell.stageId,
    serviceSlug: service.slug,
    serviceName: service.name,
    environmentName: environment.name,
  };
}

export function lockTargetOf(
  service: Service,
  environment: Environment,
  cell: BoardCell | undefined,
): StageLockTarget | null {
  if (!cell) return null;
  return {
    stageId: cell.stageId,
    serviceName: service.name,
    environmentName: environment.name,
    lock: cell.lock,
  };
}

export interface DeclareTarget {
  stageIds: readonly string[];
  deploymentId?: string;
  context: string;
}

// A deployment in flight, or one that finished this long ago or less, is a likely suspect for trouble
// noticed on its stage; an older one is not worth linking by default.
export const RECENT_DEPLOYMENT_MS = 24 * 3_600_000;

export function recentDeployment(cell: BoardCell, now: number): BoardCell['lastDeployment'] {
  const last = cell.lastDeployment;
  if (!last) return null;
  if (!last.finishedAt) return last;
  return now - Date.parse(last.finishedAt) <= RECENT_DEPLOYMENT_MS ? last : null;
}

// Declaring from a cell: its stage is affected, and its recent last deployment is linked as a suspect.
export function declareTargetOf(
  service: Service,
  environment: Environment,
  cell: BoardCell | undefined,
  now: number,
): DeclareTarget | null {
  if (!cell) return null;
  const where = `${service.slug}/${environment.slug}`;
  const suspect = recentDeployment(cell, now);
  if (!suspect) {
    return { stageIds: [cell.stageId], context: `From the board: ${where} is affected.` };
  }
  return {
    stageIds: [cell.stageId],
    deploymentId: suspect.id,
    context: `From the board: ${where} is affected and its last deployment (${suspect.release.version}) is linked as a suspect.`,
  };
}
