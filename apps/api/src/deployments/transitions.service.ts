import { Inject, Injectable } from '@nestjs/common';
import { canTransition, isTerminal, type DeploymentStatus, type HealthStatus } from '@flightdeck/contracts';
import { AuditService, type AuditActor, type RequestMeta } from '../audit/audit.service.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import type { Tx } from '../database/prisma.service.js';
import { LiveEvents } from '../events/live-events.service.js';
import type { Prisma } from '../generated/prisma/client.js';
import { recordDeploymentMirror } from '../integrations/github/deployment-mirror-outbox.js';
import { type DeploymentNotificationType, recordDeploymentNotification } from '../notifications/outbox.js';
import { mapDeployment } from './deployments.mappers.js';
import { deploymentInclude, type DeploymentRow } from './deployments.repository.js';

export interface TransitionRequest {
  readonly id: string;
  readonly from: DeploymentStatus;
  readonly to: DeploymentStatus;
  // For the event log and the audit ledger: what happened, in a sentence.
  readonly message: string;
  readonly actor: AuditActor;
  readonly request?: RequestMeta | null;
  // When set, the change only happens while this runner holds the lease.
  readonly leaseOwner?: string;
  readonly patch?: {
    readonly error?: string | null;
    readonly driverExternalId?: string | null;
    readonly driverUrl?: string | null;
    readonly driverState?: Prisma.InputJsonValue;
    readonly verification?: Prisma.InputJsonValue;
    readonly nextRunAt?: Date | null;
    readonly leaseOwner?: string | null;
    readonly leaseExpiresAt?: Date | null;
  };
  // What the stage reports after a success.
  readonly health?: { readonly status: HealthStatus; readonly message: string };
}

const ENDS_WITHOUT_RUNNING: readonly DeploymentStatus[] = ['superseded', 'expired', 'rejected'];

// Transitions that notification channels hear about.
const NOTIFY_ON: Partial<Record<DeploymentStatus, DeploymentNotificationType>> = {
  running: 'deployment.started',
  succeeded: 'deployment.succeeded',
  failed: 'deployment.failed',
  timed_out: 'deployment.failed',
};

// The only writer of a deployment's status. Each change is a compare-and-set on the status it was
// read in, inside the caller's transaction, together with its event, the stage's current-state row
// and the audit event. A lost race changes nothing and returns null.
@Injectable()
export class DeploymentTransitions {
  constructor(
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(LiveEvents) private readonly events: LiveEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async apply(tx: Tx, request: TransitionRequest): Promise<DeploymentRow | null> {
    const { id, from, to } = request;
    if (!canTransition(from, to)) {
      throw new Error(`Deployment transition ${from} -> ${to} is not in the lifecycle`);
    }
    const now = new Date();
    const current = await tx.deployment.findUnique({
      where: { id },
      select: { status: true, stage: { select: { deadlineSeconds: true } } },
    });
    if (current?.status !== from) return null;
    const terminal = isTerminal(to);
    const { count } = await tx.deployment.updateMany({
      where: {
        id,
        status: from,
        ...(request.leaseOwner ? { leaseOwner: request.leaseOwner } : {}),
      },
      data: {
        status: to,
        ...request.patch,
        ...(to === 'queued'
          ? {
              queuedAt: now,
              deadlineAt: new Date(now.getTime() + current.stage.deadlineSeconds * 1000),
              nextRunAt: now,
            }
          : {}),
        ...(to === 'running' ? { startedAt: now } : {}),
        ...(terminal ? { finishedAt: now, nextRunAt: null, leaseOwner: null, leaseExpiresAt: null } : {}),
      },
    });
    if (count === 0) return null;
    const row = await tx.deployment.findUniqueOrThrow({ where: { id }, include: deploymentInclude });
    await tx.deploymentEvent.create({
      data: {
        deploymentId: id,
        fromStatus: from,
        toStatus: to,
        message: request.message,
        actor: request.actor.name,
      },
    });
    await this.updateStageState(tx, row, to, now, request.health);
    await this.audit.record(tx, {
      actor: request.actor,
      action: `deployment.${to}`,
      outcome: to === 'failed' || to === 'timed_out' ? 'failure' : 'success',
      target: { type: 'deployment', id },
      reason: request.message,
      request: request.request ?? null,
      before: { status: from },
      after: {
        status: to,
        service: row.stage.service.slug,
        environment: row.stage.environment.slug,
        release: row.release.version,
        ...(row.breakGlass ? { breakGlass: true } : {}),
      },
    });
    const notification = NOTIFY_ON[to];
    if (notification) {
      await recordDeploymentNotification(tx, notification, id, { status: to, message: request.message });
    }
    // GitHub's copy of this deployment (services with a repository), sent later by the mirror processor.
    await recordDeploymentMirror(
      tx,
      { deploymentId: id, from, to, message: request.message },
      this.config.github.auth !== null,
    );
    return row;
  }

  // A line in the event log that does not change the status (driver progress, a retry).
  async note(
    tx: Tx,
    deploymentId: string,
    status: DeploymentStatus,
    message: string,
    actor: AuditActor,
  ): Promise<void> {
    await tx.deploymentEvent.create({
      data: { deploymentId, fromStatus: status, toStatus: status, message, actor: actor.name },
    });
  }

  // After commit: tells every replica's live clients.
  async publish(row: DeploymentRow): Promise<void> {
    const deployment = mapDeployment(row);
    const at = new Date().toISOString();
    await this.events.publish({
      type: 'deployment.updated',
      deploymentId: deployment.id,
      stageId: deployment.stageId,
      status: deployment.status,
      trainId: deployment.trainId,
      at,
    });
    await this.events.publish({
      type: 'stage.updated',
      stageId: deployment.stageId,
      serviceSlug: deployment.serviceSlug,
      environmentSlug: deployment.environmentSlug,
      at,
    });
  }

  private async updateStageState(
    tx: Tx,
    row: DeploymentRow,
    to: DeploymentStatus,
    now: Date,
    health: TransitionRequest['health'],
  ): Promise<void> {
    // A pending request that never ran does not become what the stage shows as its last deployment.
    if (ENDS_WITHOUT_RUNNING.includes(to)) return;
    const state = await tx.stageState.findUnique({ where: { stageId: row.stageId } });
    const succeeded = to === 'succeeded';
    const moved = succeeded && state?.currentReleaseId !== row.releaseId;
    const fields = {
      lastDeploymentId: row.id,
      ...(succeeded
        ? {
            currentReleaseId: row.releaseId,
            ...(moved ? { currentSince: now, previousReleaseId: state?.currentReleaseId ?? null } : {}),
            health: health?.status ?? 'unknown',
            healthMessage: health?.message ?? '',
            healthCheckedAt: now,
          }
        : {}),
    };
    await tx.stageState.upsert({
      where: { stageId: row.stageId },
      create: { stageId: row.stageId, ...fields, ...(succeeded ? { currentSince: now } : {}) },
      update: fields,
    });
  }
}
