import { Inject, Injectable } from '@nestjs/common';
import { PrismaService, type Tx } from '../database/prisma.service.js';
import { deploymentInclude } from '../deployments/deployments.repository.js';
import type { Prisma } from '../generated/prisma/client.js';

const person = { select: { id: true, email: true, name: true } } as const;

export const incidentStageSelect = {
  id: true,
  serviceId: true,
  environmentId: true,
  service: { select: { slug: true, teamId: true, id: true } },
  environment: { select: { id: true, slug: true, tier: true, position: true } },
} as const;

export const incidentSummaryInclude = {
  severity: true,
  commander: person,
  stages: { include: { stage: { select: incidentStageSelect } } },
} satisfies Prisma.IncidentInclude;

export const incidentDetailInclude = {
  ...incidentSummaryInclude,
  actionItems: { include: { owner: person }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
  deployments: {
    include: { deployment: { include: deploymentInclude } },
    orderBy: [{ createdAt: 'asc' }, { relation: 'asc' }],
  },
} satisfies Prisma.IncidentInclude;

export type IncidentSummaryRow = Prisma.IncidentGetPayload<{ include: typeof incidentSummaryInclude }>;
export type IncidentRow = Prisma.IncidentGetPayload<{ include: typeof incidentDetailInclude }>;
export type ActionItemRow = IncidentRow['actionItems'][number];

@Injectable()
export class IncidentsRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  list(filter: { status: 'open' | 'resolved' | 'all'; stageId?: string | undefined; limit: number }) {
    return this.prisma.incident.findMany({
      where: {
        ...(filter.status === 'open' ? { status: { not: 'resolved' } } : {}),
        ...(filter.status === 'resolved' ? { status: 'resolved' } : {}),
        ...(filter.stageId ? { stages: { some: { stageId: filter.stageId } } } : {}),
      },
      include: incidentSummaryInclude,
      orderBy: [{ detectedAt: 'desc' }, { number: 'desc' }],
      take: filter.limit,
    });
  }

  find(id: string, tx: Tx = this.prisma): Promise<IncidentRow | null> {
    return tx.incident.findUnique({ where: { id }, include: incidentDetailInclude });
  }

  // Serialises changes to one incident (two clicks on "Resolve"): the row stays locked until commit.
  async lock(tx: Tx, id: string): Promise<boolean> {
    const rows = await tx.$queryRaw<Array<{ id: string }>>`
      SELECT id FROM incidents WHERE id = ${id}::uuid FOR UPDATE`;
    return rows.length > 0;
  }

  severities(tx: Tx = this.prisma) {
    return tx.incidentSeverity.findMany({ orderBy: { rank: 'asc' } });
  }

  severity(key: string, tx: Tx = this.prisma) {
    return tx.incidentSeverity.findUnique({ where: { key } });
  }

  severityOfRank(rank: number, tx: Tx = this.prisma) {
    return tx.incidentSeverity.findUnique({ where: { rank } });
  }

  stages(ids: readonly string[], tx: Tx = this.prisma) {
    return tx.stage.findMany({ where: { id: { in: [...ids] } }, select: incidentStageSelect });
  }

  user(id: string, tx: Tx = this.prisma) {
    return tx.user.findUnique({ where: { id }, select: { id: true, email: true, name: true } });
  }

  deployment(id: string, tx: Tx = this.prisma) {
    return tx.deployment.findUnique({ where: { id }, include: deploymentInclude });
  }

  async replaceStages(tx: Tx, incidentId: string, stageIds: readonly string[]): Promise<void> {
    await tx.incidentStage.deleteMany({ where: { incidentId, stageId: { notIn: [...stageIds] } } });
    await tx.incidentStage.createMany({
      data: stageIds.map((stageId) => ({ incidentId, stageId })),
      skipDuplicates: true,
    });
  }

  // What the timeline and the suspects are made of, for the affected stages within [from, to].
  notes(incidentId: string) {
    return this.prisma.incidentNote.findMany({
      where: { incidentId },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
  }

  deploymentEvents(stageIds: readonly string[], from: Date, to: Date) {
    return this.prisma.deploymentEvent.findMany({
      where: { createdAt: { gte: from, lte: to }, deployment: { stageId: { in: [...stageIds] } } },
      include: { deployment: { include: deploymentInclude } },
      orderBy: { id: 'asc' },
    });
  }

  approvals(stageIds: readonly string[], from: Date, to: Date) {
    return this.prisma.approval.findMany({
      where: { createdAt: { gte: from, lte: to }, deployment: { stageId: { in: [...stageIds] } } },
      include: { deployment: { include: deploymentInclude } },
      orderBy: { createdAt: 'asc' },
    });
  }

  // Locks, holds released, health turning bad and freezes come from the audit ledger, which records
  // each with who and why.
  auditEvents(stageIds: readonly string[], from: Date, to: Date) {
    return this.prisma.auditEvent.findMany({
      where: {
        occurredAt: { gte: from, lte: to },
        outcome: 'success',
        OR: [
          {
            targetType: 'stage',
            targetId: { in: [...stageIds] },
            action: { in: ['stage.lock', 'stage.unlock', 'stage.hold_release', 'stage.health_degraded'] },
          },
          { action: { in: ['freeze.create', 'freeze.delete'] } },
        ],
      },
      orderBy: { id: 'asc' },
    });
  }

  // Deployments that finished on the stages within [from, to]: the suspects' pool.
  finishedDeployments(stageIds: readonly string[], from: Date, to: Date) {
    return this.prisma.deployment.findMany({
      where: {
        stageId: { in: [...stageIds] },
        kind: { not: 'rollback' },
        finishedAt: { gte: from, lte: to },
        status: { in: ['succeeded', 'failed', 'timed_out'] },
      },
      include: { ...deploymentInclude, events: { select: { message: true } } },
      orderBy: { finishedAt: 'desc' },
    });
  }

  // How many releases each suspect brought in: those created after the release it replaced.
  async releasesBetween(serviceSlug: string, after: Date | null, upTo: Date): Promise<number> {
    return this.prisma.release.count({
      where: {
        service: { slug: serviceSlug },
        createdAt: { lte: upTo, ...(after ? { gt: after } : {}) },
      },
    });
  }

  // The release that ran on the stage before a deployment: the last success that finished before it.
  previousSuccess(stageId: string, before: Date) {
    return this.prisma.deployment.findFirst({
      where: { stageId, status: 'succeeded', finishedAt: { lt: before } },
      orderBy: { finishedAt: 'desc' },
      select: { release: { select: { createdAt: true, version: true } } },
    });
  }

  // Who did what to the incident itself (for the names on status lines).
  incidentAudit(incidentId: string) {
    return this.prisma.auditEvent.findMany({
      where: { targetType: 'incident', targetId: incidentId, outcome: 'success' },
      select: { action: true, actorName: true, after: true },
      orderBy: { id: 'asc' },
    });
  }

  async releaseCreatedAt(releaseId: string): Promise<Date> {
    const release = await this.prisma.release.findUniqueOrThrow({
      where: { id: releaseId },
      select: { createdAt: true },
    });
    return release.createdAt;
  }

  async tierOf(stageId: string) {
    const stage = await this.prisma.stage.findUniqueOrThrow({
      where: { id: stageId },
      select: { environment: { select: { tier: true } } },
    });
    return stage.environment.tier;
  }
}
