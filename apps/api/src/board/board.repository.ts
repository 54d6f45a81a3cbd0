import { Inject, Injectable } from '@nestjs/common';
import { serviceFilter } from '../catalog/catalog.repository.js';
import { PrismaService, type Tx } from '../database/prisma.service.js';
import type { Prisma } from '../generated/prisma/client.js';

const releaseSelect = { id: true, version: true, commitSha: true, createdAt: true } as const;

const boardServiceInclude = {
  team: { select: { slug: true } },
  stages: {
    select: {
      id: true,
      environmentId: true,
      driverKind: true,
      upstreams: { select: { upstreamStageId: true } },
      state: {
        select: {
          currentSince: true,
          health: true,
          healthMessage: true,
          lockedBy: true,
          lockReason: true,
          lockedAt: true,
          holdReason: true,
          holdRelease: { select: releaseSelect },
          currentRelease: { select: releaseSelect },
          lastDeployment: {
            select: {
              id: true,
              status: true,
              kind: true,
              breakGlass: true,
              createdAt: true,
              finishedAt: true,
              release: { select: releaseSelect },
            },
          },
        },
      },
    },
  },
} satisfies Prisma.ServiceInclude;

export type BoardServiceRow = Prisma.ServiceGetPayload<{ include: typeof boardServiceInclude }>;

@Injectable()
export class BoardRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  // A fixed number of queries whatever the size of the board: no query per row.
  listServicesWithStageState(
    filter: { team?: string; q?: string },
    tx: Tx = this.prisma,
  ): Promise<BoardServiceRow[]> {
    return tx.service.findMany({
      where: serviceFilter(filter),
      include: boardServiceInclude,
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
    });
  }
}
