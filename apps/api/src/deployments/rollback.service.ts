import { Inject, Injectable } from '@nestjs/common';
import type { Deployment, RollbackOptions, StageHold } from '@flightdeck/contracts';
import { AuditService, SYSTEM_ACTOR, type RequestMeta } from '../audit/audit.service.js';
import { ConflictError } from '../common/errors.js';
import { PrismaService, type Tx } from '../database/prisma.service.js';
import { LiveEvents } from '../events/live-events.service.js';
import { IdempotencyService, type IdempotentResult } from '../idempotency/idempotency.service.js';
import { linkRemediationToOpenIncidents } from '../incidents/incident-links.js';
import { AuthzService } from '../identity/authz.service.js';
import { actorOf, type Principal } from '../identity/principal.js';
import { mapRelease } from '../releases/releases.service.js';
import {
  DeploymentRequestsService,
  lockStages,
  requesterOf,
  type Created,
  type Requester,
} from './deployment-requests.service.js';
import { mapDeployment } from './deployments.mappers.js';
import { deploymentInclude } from './deployments.repository.js';
import { GateFacts, type StageForGates } from './gate-facts.js';

const withService = { service: { select: { slug: true } } } as const;

// Flightdeck itself, when verification fails on a stage with automatic rollback.
export const AUTO_ROLLBACK_REQUESTER: Requester = {
  name: 'flightdeck (automatic rollback)',
  actor: { ...SYSTEM_ACTOR, name: 'automatic rollback' },
};

// One click back to what worked: the previous successful release by finish time by default, any
// earlier one on request. The release rolled back from is held on the stage.
@Injectable()
export class RollbackService {
  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(GateFacts) private readonly gates: GateFacts,
    @Inject(DeploymentRequestsService) private readonly requests: DeploymentRequestsService,
    @Inject(AuthzService) private readonly authz: AuthzService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(IdempotencyService) private readonly idempotency: IdempotencyService,
    @Inject(LiveEvents) private readonly events: LiveEvents,
  ) {}

  async options(stageId: string, tx: Tx = this.prisma): Promise<RollbackOptions> {
    return (await this.plan(stageId, tx)).options;
  }

  // What a rollback would leave (`from`: what runs there, or the release of a deployment that failed
  // there after it, since the target may be running it) and where it may go.
  private async plan(stageId: string, tx: Tx) {
    const stage = await this.gates.requireStage(stageId, tx);
    const current = stage.state?.currentReleaseId
      ? await tx.release.findUnique({ where: { id: stage.state.currentReleaseId }, include: withService })
      : null;
    const last = stage.state?.lastDeploymentId
      ? await tx.deployment.findUnique({
          where: { id: stage.state.lastDeploymentId },
          include: { release: { include: withService } },
        })
      : null;
    // The target may run the release of a deployment that started after the current one: that is
    // what a rollback leaves (and holds), whether it failed or is still going (it gets cancelled).
    // Not when that deployment is itself a rollback: a second click must find the first one, not
    // walk further back through history.
    const startedAfter =
      last &&
      last.kind !== 'rollback' &&
      last.startedAt &&
      last.status !== 'succeeded' &&
      last.releaseId !== current?.id
        ? last.release
        : null;
    const from = startedAfter ?? current;
    const targets = await this.targets(stage, from?.id ?? null, tx);
    const held = stage.state?.holdReleaseId
      ? await tx.release.findUnique({ where: { id: stage.state.holdReleaseId }, include: withService })
      : null;
    const active = await tx.deployment.findFirst({
      where: { stageId, status: { in: ['pending', 'queued', 'running', 'verifying'] } },
      include: deploymentInclude,
      orderBy: { createdAt: 'desc' },
    });
    const eligible = targets.find(
      (target) => target.release.id !== held?.id && !target.release.quarantinedAt,
    );
    const options: RollbackOptions = {
      stageId,
      current: from ? mapRelease(from) : null,
      defaultTarget: eligible ? mapRelease(eligible.release) : null,
      targets: targets.map((target) => ({
        release: mapRelease(target.release),
        lastSucceededAt: target.lastSucceededAt.toISOString(),
      })),
      hold: held ? { release: mapRelease(held), reason: stage.state?.holdReason ?? null } : null,
      active: active ? mapDeployment(active) : null,
    };
    return { options, from, stage };
  }

  async rollback(
    principal: Principal,
    stageId: string,
    input: { releaseId?: string | undefined; reason: string },
    idempotencyKey: string | null,
    meta: RequestMeta,
    // A rollback started from elsewhere (an incident): its own idempotency endpoint and request, and
    // what to write in the rollback's transaction once it is created.
    origin?: { endpoint: string; request: unknown; within: (tx: Tx, created: Created) => Promise<void> },
  ): Promise<IdempotentResult<Deployment>> {
    const stage = await this.gates.requireStage(stageId);
    await this.authz.assertOnService(
      principal,
      'deployments:write',
      { service: stage.service, environment: stage.environment, type: 'stage', id: stage.id },
      meta,
    );
    const done: { created?: Created } = {};
    const result = await this.idempotency.run(
      {
        principalId: principal.user.id,
        endpoint: origin?.endpoint ?? 'rollbackStage',
        key: idempotencyKey,
        request: origin?.request ?? { stageId, ...input },
      },
      async (tx) => {
        done.created = await this.rollbackInTx(tx, requesterOf(principal), stageId, input, meta);
        await origin?.within(tx, done.created);
        return { status: 201, body: mapDeployment(done.created.deployment) };
      },
    );
    if (done.created && !result.replayed) await this.requests.afterCommit(done.created);
    return result;
  }

  // Automatic rollback after a failed verification; null when there is nothing to go back to.
  async rollbackAutomatically(stageId: string, reason: string): Promise<Deployment | null> {
    try {
      const created = await this.prisma.$transaction(async (tx) => {
        const rollback = await this.rollbackInTx(tx, AUTO_ROLLBACK_REQUESTER, stageId, { reason }, null);
        // An open incident on the stage gets the rollback as its remediation.
        await linkRemediationToOpenIncidents(tx, this.audit, {
          stageId,
          deploymentId: rollback.deployment.id,
          actor: AUTO_ROLLBACK_REQUESTER.actor,
        });
        return rollback;
      });
      await this.requests.afterCommit(created);
      return mapDeployment(created.deployment);
    } catch (error) {
      if (error instanceof ConflictError) return null;
      throw error;
    }
  }

  async releaseHold(principal: Principal, stageId: string, meta: RequestMeta): Promise<StageHold> {
    const stage = await this.gates.requireStage(stageId);
    await this.authz.assertOnService(
      principal,
      'deployments:write',
      { service: stage.service, environment: stage.environment, type: 'stage', id: stage.id },
      meta,
    );
    const before = await this.prisma.$transaction(async (tx) => {
      await lockStages(tx, [stageId]);
      const state = await tx.stageState.findUnique({
        where: { stageId },
        include: { holdRelease: { include: withService } },
      });
      if (!state?.holdRelease) return null;
      await tx.stageState.update({ where: { stageId }, data: { holdReleaseId: null, holdReason: null } });
      await this.audit.record(tx, {
        actor: actorOf(principal),
        action: 'stage.hold_release',
        outcome: 'success',
        target: { type: 'stage', id: stageId },
        request: meta,
        before: { release: state.holdRelease.version, reason: state.holdReason },
        after: null,
      });
      return state;
    });
    if (before) await this.publishStage(stage);
    return { stageId, hold: null };
  }

  // A newer release succeeded upstream of stages holding an older one: those holds have done their job.
  async clearHoldsBelow(
    stageId: string,
    release: { id: string; createdAt: Date; version: string },
  ): Promise<void> {
    const downstream = await this.prisma.stageUpstream.findMany({
      where: { upstreamStageId: stageId },
      select: { stageId: true },
    });
    for (const { stageId: below } of downstream) {
      const cleared = await this.prisma.$transaction(async (tx) => {
        await lockStages(tx, [below]);
        const state = await tx.stageState.findUnique({
          where: { stageId: below },
          include: { holdRelease: true },
        });
        if (!state?.holdRelease || state.holdRelease.createdAt >= release.createdAt) return false;
        await tx.stageState.update({
          where: { stageId: below },
          data: { holdReleaseId: null, holdReason: null },
        });
        await this.audit.record(tx, {
          actor: SYSTEM_ACTOR,
          action: 'stage.hold_release',
          outcome: 'success',
          target: { type: 'stage', id: below },
          reason: `${release.version}, newer than the held ${state.holdRelease.version}, succeeded upstream`,
          before: { release: state.holdRelease.version, reason: state.holdReason },
          after: null,
        });
        return true;
      });
      if (cleared) await this.publishStage(await this.gates.requireStage(below));
    }
  }

  private async rollbackInTx(
    tx: Tx,
    requester: Requester,
    stageId: string,
    input: { releaseId?: string | undefined; reason: string },
    meta: RequestMeta | null,
  ): Promise<Created> {
    await lockStages(tx, [stageId]);
    const { options, from, stage } = await this.plan(stageId, tx);
    const releaseId = input.releaseId ?? options.defaultTarget?.id;
    if (!releaseId) {
      throw new ConflictError(
        'NO_ROLLBACK_TARGET',
        'Nothing to roll back to: no other release that is not held or quarantined has succeeded on this stage',
      );
    }
    // Only a release that ran here before, and not the one being left.
    if (!options.targets.some((target) => target.release.id === releaseId)) {
      const release = await tx.release.findUnique({ where: { id: releaseId } });
      throw new ConflictError(
        'NOT_A_ROLLBACK_TARGET',
        release && release.id === from?.id
          ? `${release.version} is what ${stage.environment.slug} is being rolled back from; pick an earlier release`
          : `${release?.version ?? 'That release'} never succeeded on ${stage.environment.slug}; a rollback goes back to a release that ran there`,
      );
    }
    return this.requests.createInTx(
      tx,
      requester,
      stageId,
      { releaseId, reason: input.reason, breakGlass: false },
      null,
      meta,
      { stagesLocked: true, rollback: { from } },
    );
  }

  // Releases that succeeded on the stage, the latest finish first, without the one being left.
  private async targets(stage: StageForGates, fromId: string | null, tx: Tx) {
    const finished = await tx.deployment.groupBy({
      by: ['releaseId'],
      where: { stageId: stage.id, status: 'succeeded' },
      _max: { finishedAt: true },
    });
    const ordered = finished
      .filter((row) => row.releaseId !== fromId && row._max.finishedAt)
      .sort((a, b) => b._max.finishedAt!.getTime() - a._max.finishedAt!.getTime());
    const releases = await tx.release.findMany({
      where: { id: { in: ordered.map((row) => row.releaseId) } },
      include: withService,
    });
    return ordered.flatMap((row) => {
      const release = releases.find((candidate) => candidate.id === row.releaseId);
      return release ? [{ release, lastSucceededAt: row._max.finishedAt! }] : [];
    });
  }

  private async publishStage(stage: StageForGates): Promise<void> {
    await this.events.publish({
      type: 'stage.updated',
      stageId: stage.id,
      serviceSlug: stage.service.slug,
      environmentSlug: stage.environment.slug,
      at: new Date().toISOString(),
    });
  }
}
