import { Inject, Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service.js';
import type { DeploymentStatus } from '@flightdeck/contracts';

// A rollback counts once it went ahead, not when it was only asked for and then refused.
const WENT_AHEAD: DeploymentStatus[] = ['queued', 'running', 'verifying', 'succeeded', 'failed', 'timed_out'];
const FAILED: DeploymentStatus[] = ['failed', 'timed_out'];

// The history an approver's evidence is computed from.
@Injectable()
export class EvidenceRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  findDeployment(id: string) {
    return this.prisma.deployment.findUnique({
      where: { id },
      select: {
        id: true,
        stageId: true,
        releaseId: true,
        stage: {
          select: {
            serviceId: true,
            upstreams: {
              select: {
                upstream: {
                  select: {
                    id: true,
                    soakSeconds: true,
                    environment: { select: { slug: true } },
                    state: { select: { currentReleaseId: true, currentSince: true } },
                  },
                },
              },
            },
          },
        },
      },
    });
  }

  // The candidate's latest success on each of these stages.
  async lastSuccesses(stageIds: string[], releaseId: string) {
    const rows = await this.prisma.deployment.findMany({
      where: { stageId: { in: stageIds }, releaseId, status: 'succeeded' },
      select: { stageId: true, finishedAt: true, createdAt: true, verification: true },
      orderBy: [{ finishedAt: 'desc' }, { createdAt: 'desc' }],
    });
    const latest = new Map<string, (typeof rows)[number]>();
    for (const row of rows) if (!latest.has(row.stageId)) latest.set(row.stageId, row);
    return latest;
  }

  countRollbacks(stageId: string, since: Date): Promise<number> {
    return this.prisma.deployment.count({
      where: { stageId, kind: 'rollback', status: { in: WENT_AHEAD }, createdAt: { gte: since } },
    });
  }

  countFailures(serviceId: string, since: Date): Promise<number> {
    return this.prisma.deployment.count({
      where: {
        stage: { serviceId },
        status: { in: FAILED },
        OR: [{ finishedAt: { gte: since } }, { finishedAt: null, createdAt: { gte: since } }],
      },
    });
  }

  // Environments where the release was rolled back and is held.
  async heldOn(releaseId: string): Promise<string[]> {
    const rows = await this.prisma.stageState.findMany({
      where: { holdReleaseId: releaseId },
      select: { stage: { select: { environment: { select: { slug: true } } } } },
    });
    return rows.map((row) => row.stage.environment.slug).sort();
  }
}
