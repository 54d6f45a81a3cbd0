import type { NotificationEventType } from '@flightdeck/contracts';
import type { Tx } from '../database/prisma.service.js';
import type { Prisma } from '../generated/prisma/client.js';

export interface NotificationEventInput {
  readonly type: NotificationEventType;
  // What channel filters look at; null when the event is not about one.
  readonly serviceId?: string | null;
  readonly environmentId?: string | null;
  readonly stageId?: string | null;
  readonly deploymentId?: string | null;
  readonly incidentId?: string | null;
  // Only this channel, whatever its filters (a test notification).
  readonly channelId?: string | null;
  // Everything a message needs, as it was when the change happened: rendering happens later.
  readonly payload: Prisma.InputJsonObject;
}

// The transactional outbox: call inside the transaction of the change, so the event exists if and only
// if the change committed. The dispatcher fans it out to channels afterwards.
export async function recordNotificationEvent(tx: Tx, event: NotificationEventInput): Promise<string> {
  const row = await tx.notificationEvent.create({
    data: {
      type: event.type,
      serviceId: event.serviceId ?? null,
      environmentId: event.environmentId ?? null,
      stageId: event.stageId ?? null,
      deploymentId: event.deploymentId ?? null,
      incidentId: event.incidentId ?? null,
      channelId: event.channelId ?? null,
      payload: event.payload,
    },
    select: { id: true },
  });
  return row.id;
}

export type DeploymentNotificationType = Extract<
  NotificationEventType,
  | 'deployment.started'
  | 'deployment.succeeded'
  | 'deployment.failed'
  | 'approval.requested'
  | 'approval.decided'
  | 'rollback.requested'
  | 'hold.set'
>;

// An event about one deployment: loads its service, environment and release inside the caller's
// transaction and records them with `extra` (e.g. the approvers, the decision, the hold's reason).
export async function recordDeploymentNotification(
  tx: Tx,
  type: DeploymentNotificationType,
  deploymentId: string,
  extra: Prisma.InputJsonObject = {},
): Promise<string> {
  const deployment = await tx.deployment.findUniqueOrThrow({
    where: { id: deploymentId },
    select: {
      id: true,
      kind: true,
      status: true,
      requestedBy: true,
      reason: true,
      error: true,
      breakGlass: true,
      stageId: true,
      release: { select: { id: true, version: true, commitSha: true } },
      stage: {
        select: {
          service: { select: { id: true, slug: true, name: true } },
          environment: { select: { id: true, slug: true, name: true } },
        },
      },
    },
  });
  const { service, environment } = deployment.stage;
  return recordNotificationEvent(tx, {
    type,
    serviceId: service.id,
    environmentId: environment.id,
    stageId: deployment.stageId,
    deploymentId,
    payload: {
      deployment: {
        id: deployment.id,
        kind: deployment.kind,
        status: deployment.status,
        requestedBy: deployment.requestedBy,
        reason: deployment.reason,
        error: deployment.error,
        breakGlass: deployment.breakGlass,
      },
      service,
      environment,
      release: deployment.release,
      ...extra,
    },
  });
}

// A rollback put a hold on the release it leaves: channels hear which release is held and why.
export async function recordHoldSet(
  tx: Tx,
  deploymentId: string,
  heldReleaseId: string,
  reason: string | null,
): Promise<void> {
  const held = await tx.release.findUniqueOrThrow({
    where: { id: heldReleaseId },
    select: { id: true, version: true, commitSha: true },
  });
  await recordDeploymentNotification(tx, 'hold.set', deploymentId, { hold: { release: held, reason } });
}

export interface IncidentNotificationText {
  // The note written with a status change.
  readonly message?: string;
  // What an edit changed, one line each ("Severity P2 → P1"); an edit's message is these lines.
  readonly changes?: readonly string[];
}

// An incident opened, moved on or was edited: channels get a status update written from its status's
// template, or for an edit what changed. Its service and environment columns are set when it affects
// only one of each (after the change); channel filters match any affected service or environment (the
// fan-out looks them up).
export async function recordIncidentNotification(
  tx: Tx,
  type: Extract<NotificationEventType, 'incident.opened' | 'incident.changed'>,
  incidentId: string,
  { message = '', changes = [] }: IncidentNotificationText = {},
): Promise<string> {
  const incident = await tx.incident.findUniqueOrThrow({
    where: { id: incidentId },
    select: {
      id: true,
      number: true,
      title: true,
      status: true,
      severity: { select: { key: true, name: true } },
      stages: {
        select: {
          stage: {
            select: {
              service: { select: { id: true, slug: true, name: true } },
              environment: { select: { id: true, slug: true } },
            },
          },
        },
      },
    },
  });
  const stages = incident.stages.map((s) => s.stage);
  const only = (ids: string[]) => (new Set(ids).size === 1 ? ids[0]! : null);
  return recordNotificationEvent(tx, {
    type,
    incidentId,
    serviceId: only(stages.map((s) => s.service.id)),
    environmentId: only(stages.map((s) => s.environment.id)),
    payload: {
      incident: {
        id: incident.id,
        number: incident.number,
        title: incident.title,
        severity: incident.severity.key,
        severityName: incident.severity.name,
        status: incident.status,
        affectedServices: [...new Set(stages.map((s) => s.service.slug))].sort(),
        environments: [...new Set(stages.map((s) => s.environment.slug))].sort(),
        ...(message ? { message } : {}),
        ...(changes.length ? { changes: [...changes] } : {}),
      },
    },
  });
}
