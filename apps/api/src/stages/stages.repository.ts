import { Inject, Injectable } from '@nestjs/common';
import { PrismaService, type Tx } from '../database/prisma.service.js';
import type { DeploymentStatus, DriverKind, Prisma } from '../generated/prisma/client.js';

const stageDetailInclude = {
  service: { select: { id: true, slug: true, teamId: true } },
  environment: { select: { id: true, slug: true, position: true } },
  upstreams: { select: { upstreamStageId: true } },
} satisfies Prisma.StageInclude;

export type StageDetailRow = Prisma.StageGetPayload<{ include: typeof stageDetailInclude }>;

const ACTIVE: DeploymentStatus[] = ['queued', 'running', 'verifying'];

export interface StageChanges {
  driverKind?: DriverKind;
  driverConfig?: Prisma.InputJsonObject;
  soakSeconds?: number;
  deadlineSeconds?: number;
  requiredChecks?: string[];
}

@Injectable()
export class StagesRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  find(stageId: string, tx: Tx = this.prisma): Promise<StageDetailRow | null> {
    return tx.stage.findUnique({ where: { id: stageId }, include: stageDetailInclude });
  }

  // The deployment engine takes the same lock for all work on a stage, so nothing starts meanwhile.
  async lock(tx: Tx, stageId: string): Promise<void> {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`stage:${stageId}`}, 0))`;
  }

  findActiveDeployment(tx: Tx, stageId: string): Promise<{ id: string; status: DeploymentStatus } | null> {
    return tx.deployment.findFirst({
      where: { stageId, status: { in: ACTIVE } },
      select: { id: true, status: true },
    });
  }

  update(tx: Tx, stageId: string, changes: StageChanges): Promise<StageDetailRow> {
    return tx.stage.update({ where: { id: stageId }, data: changes, include: stageDetailInclude });
  }
}
