import { Inject, Injectable } from '@nestjs/common';
import { afterCursor, type Cursor } from '../common/pagination.js';
import { PrismaService, type Tx } from '../database/prisma.service.js';
import type { Prisma } from '../generated/prisma/client.js';

const withService = { service: { select: { slug: true } } } as const;

@Injectable()
export class ReleasesRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  list(filter: { serviceId?: string; cursor?: Cursor; take: number }, tx: Tx = this.prisma) {
    return tx.release.findMany({
      where: { ...(filter.serviceId ? { serviceId: filter.serviceId } : {}), ...afterCursor(filter.cursor) },
      include: withService,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: filter.take,
    });
  }

  findByVersion(serviceId: string, version: string, tx: Tx = this.prisma) {
    return tx.release.findUnique({
      where: { serviceId_version: { serviceId, version } },
      include: withService,
    });
  }

  create(data: Prisma.ReleaseUncheckedCreateInput, tx: Tx = this.prisma) {
    return tx.release.create({ data, include: withService });
  }

  findById(id: string, tx: Tx = this.prisma) {
    return tx.release.findUnique({ where: { id }, include: withService });
  }
}

export type ReleaseRow = NonNullable<Awaited<ReturnType<ReleasesRepository['findById']>>>;
