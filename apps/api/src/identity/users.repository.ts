import { Inject, Injectable } from '@nestjs/common';
import { likeLiteral } from '../common/like-literal.js';
import { afterCursor, type Cursor } from '../common/pagination.js';
import { PrismaService, type Tx } from '../database/prisma.service.js';
import type { Prisma } from '../generated/prisma/client.js';

export const userInclude = {
  memberships: {
    include: { team: { select: { id: true, slug: true, name: true } } },
    orderBy: { createdAt: 'asc' },
  },
  identities: { select: { issuer: true } },
} satisfies Prisma.UserInclude;

export type UserRow = Prisma.UserGetPayload<{ include: typeof userInclude }>;

@Injectable()
export class UsersRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  findById(id: string, tx: Tx = this.prisma): Promise<UserRow | null> {
    return tx.user.findUnique({ where: { id }, include: userInclude });
  }

  findByEmail(email: string, tx: Tx = this.prisma): Promise<UserRow | null> {
    return tx.user.findUnique({ where: { email: email.toLowerCase() }, include: userInclude });
  }

  count(tx: Tx = this.prisma): Promise<number> {
    return tx.user.count();
  }

  countActiveAdmins(tx: Tx = this.prisma): Promise<number> {
    return tx.user.count({ where: { role: 'admin', disabledAt: null } });
  }

  list(filter: { q?: string; cursor?: Cursor; take: number }, tx: Tx = this.prisma): Promise<UserRow[]> {
    return tx.user.findMany({
      where: {
        ...(filter.q
          ? {
              OR: [
                { email: { contains: likeLiteral(filter.q), mode: 'insensitive' } },
                { name: { contains: likeLiteral(filter.q), mode: 'insensitive' } },
              ],
            }
          : {}),
        ...afterCursor(filter.cursor),
      },
      include: userInclude,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: filter.take,
    });
  }

  create(data: Prisma.UserUncheckedCreateInput, tx: Tx = this.prisma): Promise<UserRow> {
    return tx.user.create({ data, include: userInclude });
  }

  update(id: string, data: Prisma.UserUncheckedUpdateInput, tx: Tx = this.prisma): Promise<UserRow> {
    return tx.user.update({ where: { id }, data, include: userInclude });
  }
}
