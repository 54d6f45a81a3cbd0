import { Inject, Injectable } from '@nestjs/common';
import type { HealthStatus } from '@flightdeck/contracts';
import { PrismaService, type Tx } from '../../database/prisma.service.js';

export interface ArgoStageRow {
  readonly id: string;
  readonly driverConfig: unknown;
  readonly serviceSlug: string;
  readonly environmentSlug: string;
  readonly health: HealthStatus;
  readonly healthMessage: string;
  readonly lastDeployment: { readonly id: string; readonly status: string } | null;
}

// What the Argo CD health poller reads and writes: Argo-backed stages and their health.
@Injectable()
export class ArgoCdHealthRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  async anyArgoStage(): Promise<boolean> {
    return (await this.prisma.stage.count({ where: { driverKind: 'argocd' }, take: 1 })) > 0;
  }

  async argoStages(): Promise<ArgoStageRow[]> {
    const rows = await this.prisma.stage.findMany({
      where: { driverKind: 'argocd' },
      select: {
        id: true,
        driverConfig: true,
        service: { select: { slug: true } },
        environment: { select: { slug: true } },
        state: {
          select: {
            health: true,
            healthMessage: true,
            lastDeployment: { select: { id: true, status: true } },
          },
        },
      },
      orderBy: { id: 'asc' },
    });
    return rows.map((row) => ({
      id: row.id,
      driverConfig: row.driverConfig,
      serviceSlug: row.service.slug,
      environmentSlug: row.environment.slug,
      health: row.state?.health ?? 'unknown',
      healthMessage: row.state?.healthMessage ?? '',
      lastDeployment: row.state?.lastDeployment ?? null,
    }));
  }

  // Compare-and-set on the health read, so a deployment finishing meanwhile is not overwritten.
  async setHealth(
    tx: Tx,
    stageId: string,
    from: { health: HealthStatus; message: string },
    to: { health: HealthStatus; message: string },
    at: Date,
  ): Promise<boolean> {
    const { count } = await tx.stageState.updateMany({
      where: { stageId, health: from.health, healthMessage: from.message },
      data: { health: to.health, healthMessage: to.message, healthCheckedAt: at },
    });
    return count > 0;
  }

  async touch(stageId: string, at: Date): Promise<void> {
    await this.prisma.stageState.updateMany({ where: { stageId }, data: { healthCheckedAt: at } });
  }

  // A note on the stage's last deployment: its status stays as it is.
  async note(tx: Tx, deploymentId: string, message: string, actor: string): Promise<void> {
    const deployment = await tx.deployment.findUnique({
      where: { id: deploymentId },
      select: { status: true },
    });
    if (!deployment) return;
    await tx.deploymentEvent.create({
      data: { deploymentId, fromStatus: deployment.status, toStatus: deployment.status, message, actor },
    });
  }
}
