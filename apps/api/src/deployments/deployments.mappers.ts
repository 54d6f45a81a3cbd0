import type { Deployment, DeploymentEvent } from '@flightdeck/contracts';
import type { DeploymentEvent as EventRow } from '../generated/prisma/client.js';
import type { DeploymentRow } from './deployments.repository.js';

const iso = (date: Date | null): string | null => date?.toISOString() ?? null;

export function mapDeployment(row: DeploymentRow): Deployment {
  return {
    id: row.id,
    stageId: row.stageId,
    serviceSlug: row.stage.service.slug,
    environmentSlug: row.stage.environment.slug,
    release: row.release,
    kind: row.kind,
    status: row.status,
    requestedBy: row.requestedBy,
    reason: row.reason,
    driverKind: row.stage.driverKind,
    driverExternalId: row.driverExternalId,
    driverUrl: row.driverUrl,
    error: row.error,
    breakGlass: row.breakGlass,
    trainId: row.trainId,
    createdAt: row.createdAt.toISOString(),
    queuedAt: iso(row.queuedAt),
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
    deadlineAt: iso(row.deadlineAt),
  };
}

export function mapDeploymentEvent(row: EventRow): DeploymentEvent {
  return {
    id: row.id.toString(),
    fromStatus: row.fromStatus,
    toStatus: row.toStatus,
    message: row.message,
    actor: row.actor,
    createdAt: row.createdAt.toISOString(),
  };
}
