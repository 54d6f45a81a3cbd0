import { Inject, Injectable } from '@nestjs/common';
import type { AuditActor } from '../audit/audit.service.js';
import { PrismaService } from '../database/prisma.service.js';
import {
  DeploymentRequestsService,
  lockStages,
  type Requester,
} from '../deployments/deployment-requests.service.js';
import { PromotionPreviewService } from '../deployments/promotion-preview.service.js';
import type { DeploymentRow } from '../deployments/deployments.repository.js';
import { GateFacts } from '../deployments/gate-facts.js';
import { DeploymentTransitions } from '../deployments/transitions.service.js';
import { SingleFlight } from './single-flight.js';

export const RUNNER_ACTOR: AuditActor = { type: 'system', id: null, name: 'runner' };
const AUTO_PROMOTE_REQUESTER: Requester = {
  name: 'flightdeck (auto-promote)',
  actor: { type: 'system', id: null, name: 'auto-promote' },
};

// One key for the periodic job, so only one replica runs it at a time.
const HOUSEKEEPING_LOCK = 4_611_686_018_427_387_301n;
const BATCH = 100;

function minutes(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60} minute${seconds === 60 ? '' : 's'}` : `${seconds} s`;
}

export interface HousekeepingResult {
  readonly ran: boolean;
  readonly changed: DeploymentRow[];
  // Deployments that timed out while a driver may still be working on them: ask it to stop.
  readonly timedOut: DeploymentRow[];
}

// The periodic job: anything past its stage's deadline ends timed_out, stale requests expire,
// auto-promoting stages take their next candidate, and pending requests whose gates now pass are
// queued. Single-flight across replicas; each change in its own short transaction, a compare-and-set
// like every other.
@Injectable()
export class HousekeepingService {
  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(GateFacts) private readonly gates: GateFacts,
    @Inject(DeploymentRequestsService) private readonly requests: DeploymentRequestsService,
    @Inject(DeploymentTransitions) private readonly transitions: DeploymentTransitions,
    @Inject(SingleFlight) private readonly singleFlight: SingleFlight,
    @Inject(PromotionPreviewService) private readonly preview: PromotionPreviewService,
  ) {}

  async runOnce(now = new Date()): Promise<HousekeepingResult> {
    const changed: DeploymentRow[] = [];
    const timedOut: DeploymentRow[] = [];
    const ran = await this.singleFlight.run(HOUSEKEEPING_LOCK, async () => {
      await this.timeOut(now, changed, timedOut);
      await this.expire(now, changed);
      await this.autoPromote(now, changed);
      await this.queueReady(now, changed);
    });
    return { ran, changed, timedOut };
  }

  private async timeOut(now: Date, changed: DeploymentRow[], timedOut: DeploymentRow[]): Promise<void> {
    const overdue = await this.prisma.deployment.findMany({
      where: { status: { in: ['queued', 'running', 'verifying'] }, deadlineAt: { lt: now } },
      include: { stage: { select: { deadlineSeconds: true } } },
      orderBy: { deadlineAt: 'asc' },
      take: BATCH,
    });
    for (const deployment of overdue) {
      const limit = minutes(deployment.stage.deadlineSeconds);
      const row = await this.prisma.$transaction((tx) =>
        this.transitions.apply(tx, {
          id: deployment.id,
          from: deployment.status,
          to: 'timed_out',
          message: `Did not finish within the stage's deadline of ${limit} (${deployment.status} at the deadline)`,
          actor: RUNNER_ACTOR,
          patch: { error: `Timed out: not finished within the stage's deadline of ${limit}` },
        }),
      );
      if (!row) continue;
      changed.push(row);
      if (deployment.status !== 'queued') timedOut.push(row);
    }
  }

  private async expire(now: Date, changed: DeploymentRow[]): Promise<void> {
    const stale = await this.prisma.deployment.findMany({
      where: { status: 'pending', expiresAt: { lt: now } },
      select: { id: true },
      take: BATCH,
    });
    for (const { id } of stale) {
      const row = await this.prisma.$transaction((tx) =>
        this.transitions.apply(tx, {
          id,
          from: 'pending',
          to: 'expired',
          message: 'Expired: its gates did not clear within 24 hours of the request',
          actor: RUNNER_ACTOR,
        }),
      );
      if (row) changed.push(row);
    }
  }

  // Stages set to auto-promote take their next candidate by themselves when every gate passes. A hold
  // (set by a rollback) stops it until released; anything in flight there waits its turn.
  private async autoPromote(now: Date, changed: DeploymentRow[]): Promise<void> {
    const stages = await this.prisma.stage.findMany({
      where: {
        autoPromote: true,
        OR: [{ state: null }, { state: { holdReleaseId: null } }],
        deployments: { none: { status: { in: ['pending', 'queued', 'running', 'verifying'] } } },
      },
      select: { id: true },
      take: BATCH,
    });
    for (const { id } of stages) {
      const created = await this.prisma.$transaction(async (tx) => {
        await lockStages(tx, [id]);
        const stage = await this.gates.requireStage(id, tx);
        if (stage.state?.holdReleaseId) return null;
        const current = stage.state?.currentReleaseId
          ? await tx.release.findUnique({ where: { id: stage.state.currentReleaseId } })
          : null;
        const candidate = await this.preview.nextCandidate(
          stage.serviceId,
          stage.upstreams.map((edge) => edge.upstream.id),
          current,
          tx,
        );
        if (!candidate) return null;
        const gates = await this.gates.evaluate(stage, candidate, { now, tx });
        if (gates.some((gate) => gate.state !== 'pass')) return null;
        return this.requests.createInTx(
          tx,
          AUTO_PROMOTE_REQUESTER,
          id,
          { releaseId: candidate.id, reason: 'Auto-promotion: every gate passes', breakGlass: false },
          null,
          null,
          { stagesLocked: true },
        );
      });
      if (created) {
        changed.push(...created.touched, created.deployment);
      }
    }
  }

  private async queueReady(now: Date, changed: DeploymentRow[]): Promise<void> {
    const waiting = await this.prisma.deployment.findMany({
      where: { status: 'pending' },
      select: { id: true, stageId: true, kind: true, breakGlass: true, release: true },
      orderBy: { createdAt: 'asc' },
      take: BATCH,
    });
    for (const deployment of waiting) {
      const row = await this.prisma.$transaction(async (tx) => {
        await lockStages(tx, [deployment.stageId]);
        const stage = await this.gates.requireStage(deployment.stageId, tx);
        const gates = await this.gates.evaluate(stage, deployment.release, {
          now,
          tx,
          self: deployment.id,
          action: deployment.kind,
        });
        return this.requests.queueIfClear(
          tx,
          deployment.id,
          gates,
          deployment.breakGlass,
          RUNNER_ACTOR,
          null,
        );
      });
      if (row) changed.push(row);
    }
  }
}
