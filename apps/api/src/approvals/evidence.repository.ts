import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { PrismaService } from '../database/prisma.service.js';
import { commitCheckSchema, repoKey } from '../integrations/github/checks-gate.js';
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
            requiredChecks: true,
            service: { select: { repoOwner: true, repoName: true } },
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

  // Unresolved incidents touching any stage of the service, most severe first.
  openIncidents(serviceId: string) {
    return this.prisma.incident.findMany({
      where: { status: { not: 'resolved' }, stages: { some: { stage: { serviceId } } } },
      select: {
        id: true,
        number: true,
        title: true,
        status: true,
        detectedAt: true,
        severity: { select: { key: true, name: true, rank: true, freezesProduction: true } },
      },
      orderBy: [{ severity: { rank: 'asc' } }, { number: 'asc' }],
    });
  }

  // The CI results last fetched for a commit (kept by the checks refresher); null before the first.
  async commitChecks(owner: string, name: string, sha: string) {
    const stored = await this.prisma.gitHubCommitChecks.findUnique({
      where: { repoFullName_sha: { repoFullName: repoKey(owner, name), sha } },
      select: { checks: true, fetchedAt: true },
    });
    if (!stored) return null;
    return { checks: z.array(commitCheckSchema).catch([]).parse(stored.checks), fetchedAt: stored.fetchedAt };
  }
}
