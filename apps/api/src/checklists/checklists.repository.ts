import { Inject, Injectable } from '@nestjs/common';
import type { ChecklistItem } from '@flightdeck/contracts';
import { PrismaService, type Tx } from '../database/prisma.service.js';
import { Prisma } from '../generated/prisma/client.js';
import type { Confirmation } from './checklist-items.js';

@Injectable()
export class ChecklistsRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  stage(stageId: string, tx: Tx = this.prisma) {
    return tx.stage.findUnique({
      where: { id: stageId },
      select: {
        id: true,
        checklist: true,
        service: { select: { id: true, slug: true, teamId: true } },
        environment: { select: { id: true, slug: true } },
      },
    });
  }

  setStageItems(stageId: string, items: readonly ChecklistItem[], tx: Tx) {
    return tx.stage.update({
      where: { id: stageId },
      data: { checklist: items.length > 0 ? (items as Prisma.InputJsonValue) : Prisma.DbNull },
      select: { id: true },
    });
  }

  deployment(id: string, tx: Tx = this.prisma) {
    return tx.deployment.findUnique({
      where: { id },
      select: {
        id: true,
        stageId: true,
        status: true,
        kind: true,
        breakGlass: true,
        requestedBy: true,
        checklist: true,
        release: true,
      },
    });
  }

  setConfirmations(id: string, confirmations: readonly Confirmation[], tx: Tx) {
    return tx.deployment.update({
      where: { id },
      data: { checklist: confirmations },
      select: { id: true },
    });
  }
}
