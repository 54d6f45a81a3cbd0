import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AuditService, SYSTEM_ACTOR } from '../audit/audit.service.js';
import { PrismaService, type Tx } from '../database/prisma.service.js';
import type { Prisma } from '../generated/prisma/client.js';
import { DEMO_ENVIRONMENTS, DEMO_SERVICES, type DemoService } from './demo-catalog.js';
import { planHistory, type PlannedDeployment } from './demo-history.js';

// Serialises seeding across replicas that start together.
const DEMO_SEED_LOCK = 4_611_686_018_427_387_101n;

// A few stages tell a story on the board: a lock, a degraded stage, a failed deploy.
const STAGE_STORIES: Record<
  string,
  { failEnvironment?: string; lock?: [string, string]; degraded?: string }
> = {
  'payments-service': {
    lock: ['production', 'Card network maintenance window — wait for the all-clear from ops'],
  },
  'notifications-worker': { degraded: 'staging' },
  'catalog-search': { failEnvironment: 'staging' },
};

@Injectable()
export class DemoSeeder {
  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  // Idempotent: environments and services that already exist are left as they are.
  async seed(now = new Date()): Promise<{ created: number; skipped: number }> {
    return this.prisma.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${DEMO_SEED_LOCK})`;
        const environments = await this.ensureEnvironments(tx);
        let created = 0;
        for (const service of DEMO_SERVICES) {
          if (await tx.service.findUnique({ where: { slug: service.slug }, select: { id: true } })) continue;
          await this.createService(tx, service, environments, now);
          created++;
        }
        if (created > 0) {
          await this.audit.record(tx, {
            actor: SYSTEM_ACTOR,
            action: 'demo.seed',
            outcome: 'success',
            reason: 'FLIGHTDECK_DEMO is on',
            after: { servicesCreated: created },
          });
        }
        return { created, skipped: DEMO_SERVICES.length - created };
      },
      { timeout: 120_000, maxWait: 60_000 },
    );
  }

  private async ensureEnvironments(tx: Tx): Promise<Map<string, string>> {
    const existing = await tx.environment.findMany();
    if (existing.length === 0) {
      await tx.environment.createMany({
        data: DEMO_ENVIRONMENTS.map((environment, index) => ({ ...environment, position: (index + 1) * 10 })),
      });
    }
    const all = await tx.environment.findMany({ select: { id: true, slug: true } });
    return new Map(all.map((environment) => [environment.slug, environment.id]));
  }

  private async createService(tx: Tx, demo: DemoService, environments: Map<string, string>, now: Date) {
    const story = STAGE_STORIES[demo.slug] ?? {};
    const [owner, name] = demo.repo.split('/');
    const service = await tx.service.create({
      data: {
        slug: demo.slug,
        name: demo.name,
        description: demo.description,
        team: {
          connectOrCreate: {
            where: { slug: demo.team },
            create: { slug: demo.team, name: demo.team[0]!.toUpperCase() + demo.team.slice(1) },
          },
        },
        repoOwner: owner ?? null,
        repoName: name ?? null,
      },
    });
    const paths = demo.environments.filter((slug) => environments.has(slug));
    const stageIds = new Map(paths.map((slug) => [slug, randomUUID()]));
    await tx.stage.createMany({
      data: paths.map((slug) => ({
        id: stageIds.get(slug)!,
        serviceId: service.id,
        environmentId: environments.get(slug)!,
        driverKind: 'sandbox' as const,
        driverConfig: {
          durationSeconds: slug === 'production' ? 45 : 20,
          failureRate: 0.05,
          health: story.degraded === slug ? 'degraded' : 'healthy',
        },
        soakSeconds: slug === 'production' ? 0 : slug === 'staging' ? 600 : 0,
        deadlineSeconds: 1800,
      })),
    });
    await tx.stageUpstream.createMany({
      data: paths.slice(1).map((slug, index) => ({
        stageId: stageIds.get(slug)!,
        upstreamStageId: stageIds.get(paths[index]!)!,
      })),
    });

    const history = planHistory({ ...demo, environments: paths }, now, story.failEnvironment);
    await tx.release.createMany({
      data: history.releases.map((release) => ({
        ...release,
        serviceId: service.id,
        source: 'seed' as const,
      })),
    });
    await tx.deployment.createMany({
      data: history.deployments.map((deployment) => ({
        id: deployment.id,
        stageId: stageIds.get(deployment.stageSlug)!,
        releaseId: deployment.releaseId,
        kind: deployment.kind,
        status: deployment.status,
        requestedBy: deployment.requestedBy,
        reason: deployment.reason,
        error: deployment.error,
        createdAt: deployment.createdAt,
        queuedAt: deployment.createdAt,
        startedAt: new Date(deployment.createdAt.getTime() + 2_000),
        finishedAt: deployment.finishedAt,
      })),
    });
    await tx.deploymentEvent.createMany({ data: history.deployments.flatMap(eventsOf) });

    for (const slug of paths) {
      const onStage = history.deployments.filter((deployment) => deployment.stageSlug === slug);
      const succeeded = onStage.filter((deployment) => deployment.status === 'succeeded');
      const current = succeeded.at(-1);
      const previous = succeeded.at(-2);
      const degraded = story.degraded === slug;
      const lock = story.lock?.[0] === slug ? story.lock : undefined;
      await tx.stageState.create({
        data: {
          stageId: stageIds.get(slug)!,
          currentReleaseId: current?.releaseId ?? null,
          currentSince: current?.finishedAt ?? null,
          previousReleaseId: previous?.releaseId ?? null,
          lastDeploymentId: onStage.at(-1)?.id ?? null,
          health: current ? (degraded ? 'degraded' : 'healthy') : 'unknown',
          healthMessage: degraded ? 'sandbox: simulated error rate 7.2% over the last 5 minutes' : '',
          healthCheckedAt: current ? now : null,
          ...(lock
            ? { lockedBy: 'maria.k', lockReason: lock[1], lockedAt: new Date(now.getTime() - 40 * 60_000) }
            : {}),
        },
      });
    }
  }
}

function eventsOf(deployment: PlannedDeployment): Prisma.DeploymentEventCreateManyInput[] {
  const t = deployment.createdAt.getTime();
  const base = { deploymentId: deployment.id, actor: deployment.requestedBy };
  const steps: Prisma.DeploymentEventCreateManyInput[] = [
    {
      ...base,
      fromStatus: null,
      toStatus: 'pending',
      message: 'Deployment requested',
      createdAt: new Date(t),
    },
    {
      ...base,
      fromStatus: 'pending',
      toStatus: 'queued',
      message: 'All gates passed',
      actor: 'system',
      createdAt: new Date(t + 500),
    },
    {
      ...base,
      fromStatus: 'queued',
      toStatus: 'running',
      message: 'sandbox: rollout started',
      actor: 'system',
      createdAt: new Date(t + 2_000),
    },
  ];
  if (deployment.status === 'failed') {
    steps.push({
      ...base,
      fromStatus: 'running',
      toStatus: 'failed',
      message: deployment.error ?? 'failed',
      actor: 'system',
      createdAt: deployment.finishedAt,
    });
  } else {
    const verifyAt = new Date(deployment.finishedAt.getTime() - 30_000);
    steps.push(
      {
        ...base,
        fromStatus: 'running',
        toStatus: 'verifying',
        message: 'sandbox: rollout complete, verifying',
        actor: 'system',
        createdAt: verifyAt,
      },
      {
        ...base,
        fromStatus: 'verifying',
        toStatus: 'succeeded',
        message: 'Verification passed',
        actor: 'system',
        createdAt: deployment.finishedAt,
      },
    );
  }
  return steps;
}
