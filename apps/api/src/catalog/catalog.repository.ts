import { Inject, Injectable } from '@nestjs/common';
import { PrismaService, type Tx } from '../database/prisma.service.js';
import type { Prisma } from '../generated/prisma/client.js';
import { likeLiteral } from '../common/like-literal.js';
import { afterCursor, type Cursor } from '../common/pagination.js';

const stageInclude = {
  service: { select: { slug: true } },
  environment: { select: { slug: true, position: true } },
  upstreams: { select: { upstreamStageId: true } },
} satisfies Prisma.StageInclude;

export const withTeam = { team: { select: { slug: true, name: true } } } as const;

export type ServiceRow = Prisma.ServiceGetPayload<{ include: typeof withTeam }>;

// Services of a team and/or whose slug or name contains a text, case-insensitively.
export function serviceFilter(filter: { team?: string; q?: string }): Prisma.ServiceWhereInput {
  return {
    ...(filter.team ? { team: { slug: filter.team } } : {}),
    ...(filter.q
      ? {
          OR: [
            { slug: { contains: likeLiteral(filter.q), mode: 'insensitive' } },
            { name: { contains: likeLiteral(filter.q), mode: 'insensitive' } },
          ],
        }
      : {}),
  };
}

export type StageRow = Prisma.StageGetPayload<{ include: typeof stageInclude }>;

@Injectable()
export class CatalogRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  listServices(filter: { team?: string; q?: string; cursor?: Cursor; take: number }, tx: Tx = this.prisma) {
    return tx.service.findMany({
      where: { ...serviceFilter(filter), ...afterCursor(filter.cursor) },
      include: withTeam,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: filter.take,
    });
  }

  findServiceBySlug(slug: string, tx: Tx = this.prisma) {
    return tx.service.findUnique({ where: { slug }, include: withTeam });
  }

  updateService(
    id: string,
    data: Prisma.ServiceUncheckedUpdateInput,
    tx: Tx = this.prisma,
  ): Promise<ServiceRow> {
    return tx.service.update({ where: { id }, data, include: withTeam });
  }

  listEnvironments(tx: Tx = this.prisma) {
    return tx.environment.findMany({ orderBy: { position: 'asc' } });
  }

  findEnvironmentBySlug(slug: string, tx: Tx = this.prisma) {
    return tx.environment.findUnique({ where: { slug } });
  }

  listStages(
    filter: { serviceId?: string; environmentId?: string },
    tx: Tx = this.prisma,
  ): Promise<StageRow[]> {
    return tx.stage.findMany({
      where: {
        ...(filter.serviceId ? { serviceId: filter.serviceId } : {}),
        ...(filter.environmentId ? { environmentId: filter.environmentId } : {}),
      },
      include: stageInclude,
      orderBy: [{ service: { slug: 'asc' } }, { environment: { position: 'asc' } }],
    });
  }
}
