import { Inject, Injectable } from '@nestjs/common';
import { PrismaService, type Tx } from '../database/prisma.service.js';

export interface CallbackTarget {
  readonly stageId: string;
  readonly driverKind: string;
  readonly driverConfig: unknown;
}

@Injectable()
export class HooksRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  // The stage whose secret signs callbacks about this deployment.
  async findCallbackTarget(deploymentId: string, tx: Tx = this.prisma): Promise<CallbackTarget | null> {
    const row = await tx.deployment.findUnique({
      where: { id: deploymentId },
      select: { stage: { select: { id: true, driverKind: true, driverConfig: true } } },
    });
    return row
      ? { stageId: row.stage.id, driverKind: row.stage.driverKind, driverConfig: row.stage.driverConfig }
      : null;
  }
}
