import { Inject, Injectable } from '@nestjs/common';
import { PrismaService, type Tx } from '../database/prisma.service.js';
import type { Prisma } from '../generated/prisma/client.js';

const windowInclude = {
  environment: { select: { slug: true, position: true } },
} satisfies Prisma.DeploymentWindowInclude;

export type DeploymentWindowRow = Prisma.DeploymentWindowGetPayload<{ include: typeof windowInclude }>;

@Injectable()
export class WindowsRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  // In board order: environment position, then name.
  list(filter: { environmentSlug?: string; environmentId?: string }, tx: Tx = this.prisma) {
    return tx.deploymentWindow.findMany({
      where: {
        ...(filter.environmentId ? { environmentId: filter.environmentId } : {}),
        ...(filter.environmentSlug ? { environment: { slug: filter.environmentSlug } } : {}),
      },
      include: windowInclude,
      orderBy: [{ environment: { position: 'asc' } }, { name: 'asc' }, { createdAt: 'asc' }],
    });
  }

  findById(id: string, tx: Tx = this.prisma) {
    return tx.deploymentWindow.findUnique({ where: { id }, include: windowInclude });
  }

  create(
    data: {
      environmentId: string;
      name: string;
      cron: string;
      durationMinutes: number;
      timezone: string;
      createdBy: string;
    },
    tx: Tx = this.prisma,
  ) {
    return tx.deploymentWindow.create({ data, include: windowInclude });
  }

  delete(id: string, tx: Tx = this.prisma) {
    return tx.deploymentWindow.delete({ where: { id } });
  }
}
