import { Inject, Injectable } from '@nestjs/common';
import type { DeploymentStatus } from '@flightdeck/contracts';
import { afterCursor, type Cursor } from '../common/pagination.js';
import { PrismaService, type Tx } from '../database/prisma.service.js';

export const deploymentInclude = {
  release: { select: { id: true, version: true, commitSha: true } },
  stage: {
    select: {
      driverKind: true,
      service: { select: { slug: true } },
      environment: { select: { slug: true } },
    },
  },
} as const;

@Injectable()
export class DeploymentsRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  list(
    filter: {
      serviceId?: string;
      environmentId?: string;
      statuses?: DeploymentStatus[];
      cursor?: Cursor;
      take: number;
    },
    tx: Tx = this.prisma,
  ) {
    return tx.deployment.findMany({
      where: {
        ...(filter.serviceId || filter.environmentId
          ? {
              stage: {
                ...(filter.serviceId ? { serviceId: filter.serviceId } : {}),
                ...(filter.environmentId ? { environmentId: filter.environmentId } : {}),
              },
            }
          : {}),
        ...(filter.statuses ? { status: { in: filter.statuses } } : {}),
        ...afterCursor(filter.cursor),
      },
      include: deploymentInclude,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: filter.take,
    });
  }

  findWithEvents(id: string, tx: Tx = this.prisma) {
    return tx.deployment.findUnique({
      where: { id },
      include: { ...deploymentInclude, events: { orderBy: { id: 'asc' } } },
    });
  }
}

export type DeploymentRow = Awaited<ReturnType<DeploymentsRepository['list']>>[number];
