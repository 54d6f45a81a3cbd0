import { Inject, Injectable } from '@nestjs/common';
import {
  isTerminal,
  roleAllows,
  type Deployment,
  type DeploymentKind,
  type Gate,
} from '@flightdeck/contracts';
import { AuditService, type AuditActor, type RequestMeta } from '../audit/audit.service.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../common/errors.js';
import { PrismaService, type Tx } from '../database/prisma.service.js';
import { IdempotencyService, type IdempotentResult } from '../idempotency/idempotency.service.js';
import { scopesAllowAll } from '../identity/authz.rules.js';
import { AuthzService } from '../identity/authz.service.js';
import { actorOf, type Principal } from '../identity/principal.js';
import { mapDeployment } from './deployments.mappers.js';
import { deploymentInclude, type DeploymentRow } from './deployments.repository.js';
import { GateFacts, type StageForGates } from './gate-facts.js';
import { summarize } from './gates.js';
import { PromotionPreviewService } from './promotion-preview.service.js';
import { DeploymentTransitions } from './transitions.service.js';
import { WorkSignal } from './work-signal.js';
import { recordApprovalRequested } from '../notifications/eligible-approvers.js';
import { recordDeploymentNotification, recordHoldSet } from '../notifications/outbox.js';

// A request that has not started by then ends expired: yesterday's intent is not today's.
export const PENDING_TTL_HOURS = 24;

export interface DeploymentRequest {
  readonly stageId: string;
  readonly releaseId?: string | undefined;
  readonly reason: string;
  readonly breakGlass: boolean;
}

// What one create did, for the caller to publish after commit.
export interface Created {
  readonly deployment: DeploymentRow;
  readonly touched: DeploymentRow[];
  // Deployments a rollback cancelled: their drivers are asked to stop after commit.
  readonly cancelled: string[];
}

// Who asks: a person (or their token), or Flightdeck itself (an automatic rollback).
export interface Requester {
  readonly name: string;
  readonly actor: AuditActor;
}

export function requesterOf(principal: Principal): Requester {
  return { name: principal.user.email, actor: actorOf(principal) };
}

// Serialises requests for the given stages, in any replica. Locks are always taken in one order
// (stage keys, then their unfinished deployments, then their state rows, and the audit chain last,
// when the first audit event is written), so requests, the runner and cancels never deadlock.
export async function lockStages(tx: Tx, stageIds: readonly string[]): Promise<void> {
  const ids = [...new Set(stageIds)].sort();
  for (const id of ids) {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`stage:${id}`}, 0))`;
  }
  await tx.$queryRaw`
    SELECT id FROM deployments
    WHERE stage_id = ANY(${ids}::uuid[]) AND status IN ('pending', 'queued', 'running', 'verifying')
    ORDER BY id FOR UPDATE`;
  await tx.$executeRaw`
    INSERT INTO stage_states (stage_id, updated_at) SELECT unnest(${ids}::uuid[]), now()
    ON CONFLICT (stage_id) DO NOTHING`;
  await tx.$queryRaw`
    SELECT stage_id FROM stage_states WHERE stage_id = ANY(${ids}::uuid[]) ORDER BY stage_id FOR UPDATE`;
}

export function kindFor(
  candidate: { id: string; createdAt: Date },
  current: { id: string; createdAt: Date } | null,
): DeploymentKind {
  if (!current) return 'promote';
  if (current.id === candidate.id) return 'redeploy';
  return candidate.createdAt < current.createdAt ? 'rollback' : 'promote';
}

// Requests to deploy and to stop: the gates decide, the stage lock serialises, transitions record.
@Injectable()
export class DeploymentRequestsService {
  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(GateFacts) private readonly gates: GateFacts,
    @Inject(PromotionPreviewService) private readonly preview: PromotionPreviewService,
    @Inject(DeploymentTransitions) private readonly transitions: DeploymentTransitions,
    @Inject(AuthzService) private readonly authz: AuthzService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(IdempotencyService) private readonly idempotency: IdempotencyService,
    @Inject(WorkSignal) private readonly work: WorkSignal,
  ) {}

  async create(
    principal: Principal,
    input: DeploymentRequest,
    idempotencyKey: string | null,
    meta: RequestMeta,
  ): Promise<IdempotentResult<Deployment>> {
    const stage = await this.gates.requireStage(input.stageId);
    await this.authorize(principal, stage, input, meta);
    const external = await this.gates.externalGates(stage);
    const done: { created?: Created } = {};
    try {
      const result = await this.idempotency.run(
        { principalId: principal.user.id, endpoint: 'createDeployment', key: idempotencyKey, request: input },
        async (tx) => {
          done.created = await this.createInTx(tx, requesterOf(principal), stage.id, input, null, meta, {
            external,
          });
          return { status: 201, body: mapDeployment(done.created.deployment) };
        },
      );
      if (done.created && !result.replayed) await this.afterCommit(done.created);
      return result;
    } catch (error) {
      if (error instanceof ConflictError && error.code === 'DEPLOYMENT_BLOCKED') {
        // Refused by policy: the ledger says who tried and what stopped them.
        await this.audit.recordAlone({
          actor: actorOf(principal),
          action: 'deployment.create',
          outcome: 'denied',
          target: { type: 'stage', id: stage.id },
          reason: error.message,
          request: meta,
        });
      }
      throw error;
    }
  }

  // Also used by release trains: one stage, one release, gated on its own. Throws before writing
  // anything when it cannot go, so a caller's transaction stays usable.
  async createInTx(
    tx: Tx,
    requester: Requester,
    stageId: string,
    input: Omit<DeploymentRequest, 'stageId'>,
    trainId: string | null,
    meta: RequestMeta | null,
    // `rollback`: the explicit rollback action — it cancels what is in flight on the stage first and
    // holds the release rolled back from (checked by the caller).
    options: {
      stagesLocked?: boolean;
      rollback?: { from: { id: string } | null };
      external?: readonly Gate[];
    } = {},
  ): Promise<Created> {
    if (!options.stagesLocked) await lockStages(tx, [stageId]);
    const stage = await this.gates.requireStage(stageId, tx);
    const currentRelease = stage.state?.currentReleaseId
      ? await tx.release.findUnique({ where: { id: stage.state.currentReleaseId } })
      : null;
    const release = await this.resolveRelease(tx, stage, input.releaseId, currentRelease);
    const inFlight = await tx.deployment.findFirst({
      where: {
        stageId,
        releaseId: release.id,
        status: { in: ['pending', 'queued', 'running', 'verifying'] },
      },
      include: deploymentInclude,
    });
    if (inFlight) {
      throw new ConflictError(
        'DEPLOYMENT_IN_PROGRESS',
        `${release.version} is already ${inFlight.status} on ${stage.environment.slug} (requested by ${inFlight.requestedBy})`,
        { deployment: mapDeployment(inFlight) },
      );
    }
    const now = new Date();
    const kind = options.rollback ? 'rollback' : kindFor(release, currentRelease);
    const { actor } = requester;
    const touched: DeploymentRow[] = [];
    const cancelled: string[] = [];
    if (options.rollback) {
      // Nothing may race a rollback: what is in flight here stops, and says why.
      const active = await tx.deployment.findMany({
        where: { stageId, status: { in: ['queued', 'running', 'verifying'] } },
        select: { id: true, status: true },
      });
      for (const running of active) {
        const row = await this.transitions.apply(tx, {
          id: running.id,
          from: running.status,
          to: 'cancelled',
          message: `Cancelled by a rollback to ${release.version} requested by ${requester.name}`,
          actor,
          request: meta,
          patch: { error: `Cancelled by a rollback to ${release.version}` },
        });
        if (row) {
          touched.push(row);
          if (running.status !== 'queued') cancelled.push(row.id);
        }
      }
    }
    const gates = await this.gates.evaluate(stage, release, {
      now,
      tx,
      action: kind,
      ...(options.external ? { external: options.external } : {}),
    });
    const failing = gates.filter((gate) => gate.state === 'fail');
    if (failing.length > 0 && !input.breakGlass) {
      throw new ConflictError('DEPLOYMENT_BLOCKED', summarize(gates, ''), { gates });
    }

    // A newer request replaces older ones still waiting for this stage, visibly.
    const older = await tx.deployment.findMany({
      where: { stageId, status: 'pending' },
      select: { id: true },
    });
    for (const { id } of older) {
      const superseded = await this.transitions.apply(tx, {
        id,
        from: 'pending',
        to: 'superseded',
        message: `Superseded by a newer request: ${release.version} by ${requester.name}`,
        actor,
        request: meta,
      });
      if (superseded) touched.push(superseded);
    }

    const row = await tx.deployment.create({
      data: {
        stageId,
        releaseId: release.id,
        kind,
        status: 'pending',
        requestedBy: requester.name,
        reason: input.reason,
        breakGlass: input.breakGlass,
        trainId,
        expiresAt: new Date(now.getTime() + PENDING_TTL_HOURS * 3_600_000),
      },
      include: deploymentInclude,
    });
    const overridden = gates.filter((gate) => gate.state !== 'pass' && gate.kind !== 'busy');
    await tx.deploymentEvent.create({
      data: {
        deploymentId: row.id,
        fromStatus: null,
        toStatus: 'pending',
        message: `${kind === 'rollback' ? 'Roll back' : kind === 'redeploy' ? 'Redeploy' : 'Deploy'} ${release.version} to ${stage.environment.slug}${input.reason ? `: ${input.reason}` : ''}`,
        actor: actor.name,
      },
    });
    if (input.breakGlass) {
      await tx.deploymentEvent.create({
        data: {
          deploymentId: row.id,
          fromStatus: null,
          toStatus: 'pending',
          message: `Break glass: ${overridden.length ? `overriding ${overridden.map((gate) => gate.message).join('; ')}` : 'no gate was in the way'}`,
          actor: actor.name,
        },
      });
    }
    const from = options.rollback?.from;
    const hold =
      from && from.id !== release.id ? { holdReleaseId: from.id, holdReason: input.reason || null } : {};
    await tx.stageState.upsert({
      where: { stageId },
      create: { stageId, lastDeploymentId: row.id, ...hold },
      update: { lastDeploymentId: row.id, ...hold },
    });
    await this.audit.record(tx, {
      actor,
      action: input.breakGlass ? 'deployment.break_glass' : 'deployment.create',
      outcome: 'success',
      target: { type: 'deployment', id: row.id },
      reason: input.reason || null,
      request: meta,
      after: {
        ...mapDeployment(row),
        ...(input.breakGlass ? { overriddenGates: overridden } : {}),
      },
    });

    const queued = await this.queueIfClear(tx, row.id, gates, input.breakGlass, actor, meta);
    // Notifications, in this transaction: they exist exactly when the request does.
    if (kind === 'rollback') await recordDeploymentNotification(tx, 'rollback.requested', row.id);
    if (from && from.id !== release.id) await recordHoldSet(tx, row.id, from.id, input.reason || null);
    if (!queued && gates.some((gate) => gate.kind === 'approvals' && gate.state === 'waiting')) {
      await recordApprovalRequested(tx, row.id);
    }
    return { deployment: queued ?? row, touched, cancelled };
  }

  // pending → queued when nothing is in the way (break glass passes everything but a running deployment).
  async queueIfClear(
    tx: Tx,
    id: string,
    gates: readonly Gate[],
    breakGlass: boolean,
    actor: AuditActor,
    meta: RequestMeta | null,
  ): Promise<DeploymentRow | null> {
    const inTheWay = gates.filter((gate) => gate.state !== 'pass' && (!breakGlass || gate.kind === 'busy'));
    if (inTheWay.length > 0) return null;
    const overridden = gates.some((gate) => gate.state !== 'pass');
    return this.transitions.apply(tx, {
      id,
      from: 'pending',
      to: 'queued',
      message: overridden ? 'Queued through break glass' : 'All gates pass; queued',
      actor,
      request: meta,
    });
  }

  async cancel(principal: Principal, id: string, reason: string, meta: RequestMeta): Promise<Deployment> {
    const existing = await this.prisma.deployment.findUnique({
      where: { id },
      include: { stage: { include: { service: true, environment: true } } },
    });
    if (!existing) throw new NotFoundError('DEPLOYMENT_NOT_FOUND', `No deployment with id "${id}"`);
    await this.authz.assertOnService(
      principal,
      'deployments:write',
      {
        service: existing.stage.service,
        environment: existing.stage.environment,
        type: 'deployment',
        id,
      },
      meta,
    );
    const actor = actorOf(principal);
    // The runner may move it between our read and our write: retry on the status we find then.
    for (let attempt = 0; attempt < 5; attempt++) {
      const row = await this.prisma.$transaction(async (tx) => {
        const current = await tx.deployment.findUniqueOrThrow({ where: { id }, select: { status: true } });
        if (isTerminal(current.status)) {
          throw new ConflictError(
            'DEPLOYMENT_FINISHED',
            `This deployment already ended ${current.status}; there is nothing to cancel`,
            { status: current.status },
          );
        }
        return this.transitions.apply(tx, {
          id,
          from: current.status,
          to: 'cancelled',
          message: `Cancelled by ${principal.user.email}${reason ? `: ${reason}` : ''}`,
          actor,
          request: meta,
          patch: { error: reason ? `Cancelled: ${reason}` : 'Cancelled' },
        });
      });
      if (row) {
        await this.transitions.publish(row);
        this.work.cancelled(row.id);
        this.work.notify();
        return mapDeployment(row);
      }
    }
    throw new ConflictError('DEPLOYMENT_BUSY', 'The deployment kept changing; try again');
  }

  private async authorize(
    principal: Principal,
    stage: StageForGates,
    input: DeploymentRequest,
    meta: RequestMeta,
  ): Promise<void> {
    await this.authz.assertOnService(
      principal,
      'deployments:write',
      { service: stage.service, environment: stage.environment, type: 'stage', id: stage.id },
      meta,
    );
    if (!input.breakGlass) return;
    if (!roleAllows(principal.user.role, 'admin') || !scopesAllowAll(principal, 'admin')) {
      await this.audit.recordAlone({
        actor: actorOf(principal),
        action: 'access.denied',
        outcome: 'denied',
        target: { type: 'stage', id: stage.id },
        reason: 'break glass needs the admin role',
        request: meta,
      });
      throw new ForbiddenError('BREAK_GLASS_FORBIDDEN', 'Only admins can break glass');
    }
    if (input.reason.trim().length === 0) {
      throw new ValidationError('BREAK_GLASS_REASON_REQUIRED', 'Breaking glass needs a reason', {
        issues: [{ field: 'reason', message: 'is required with breakGlass' }],
      });
    }
  }

  private async resolveRelease(
    tx: Tx,
    stage: StageForGates,
    releaseId: string | undefined,
    current: { id: string; createdAt: Date } | null,
  ) {
    if (releaseId) {
      const release = await tx.release.findUnique({ where: { id: releaseId } });
      if (!release) throw new NotFoundError('RELEASE_NOT_FOUND', `No release with id "${releaseId}"`);
      if (release.serviceId !== stage.serviceId) {
        throw new ValidationError(
          'RELEASE_OF_ANOTHER_SERVICE',
          `That release does not belong to ${stage.service.slug}`,
          { issues: [{ field: 'releaseId', message: `is not a release of ${stage.service.slug}` }] },
        );
      }
      return release;
    }
    const candidate = await this.preview.nextCandidate(
      stage.serviceId,
      stage.upstreams.map((edge) => edge.upstream.id),
      current,
      tx,
    );
    if (!candidate) {
      throw new ConflictError(
        'NOTHING_TO_DEPLOY',
        stage.upstreams.length
          ? `Nothing to deploy to ${stage.environment.slug}: the upstream stages do not all run one release newer than what runs there`
          : `Nothing to deploy: ${stage.environment.slug} already runs the newest release`,
      );
    }
    return candidate;
  }

  async afterCommit(created: Created): Promise<void> {
    for (const row of [...created.touched, created.deployment]) await this.transitions.publish(row);
    for (const id of created.cancelled) this.work.cancelled(id);
    this.work.notify();
  }
}
