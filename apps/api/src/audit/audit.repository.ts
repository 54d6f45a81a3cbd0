import { Inject, Injectable } from '@nestjs/common';
import { PrismaService, type Tx } from '../database/prisma.service.js';
import type { AuditEvent, Prisma } from '../generated/prisma/client.js';
import { likeLiteral } from '../common/like-literal.js';
import type { AuditFilter } from './audit-filter.js';

export type AuditEventRow = AuditEvent;

// `actor` matches an actor id exactly or a name by case-insensitive substring; `action` matches itself
// and its dotted children (`auth` finds `auth.login`).
export function auditWhere(filter: AuditFilter): Prisma.AuditEventWhereInput {
  const and: Prisma.AuditEventWhereInput[] = [];
  if (filter.actor !== undefined) {
    and.push({
      OR: [
        { actorId: filter.actor },
        { actorName: { contains: likeLiteral(filter.actor), mode: 'insensitive' } },
      ],
    });
  }
  if (filter.action !== undefined) {
    and.push({
      OR: [{ action: filter.action }, { action: { startsWith: `${likeLiteral(filter.action)}.` } }],
    });
  }
  if (filter.outcome !== undefined) and.push({ outcome: filter.outcome });
  if (filter.targetType !== undefined) and.push({ targetType: filter.targetType });
  if (filter.targetId !== undefined) and.push({ targetId: filter.targetId });
  if (filter.from !== undefined) and.push({ occurredAt: { gte: filter.from } });
  if (filter.to !== undefined) and.push({ occurredAt: { lt: filter.to } });
  return and.length ? { AND: and } : {};
}

@Injectable()
export class AuditRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  // Newest first, strictly older than `beforeId`.
  listNewestFirst(
    query: { filter: AuditFilter; beforeId?: bigint; take: number },
    tx: Tx = this.prisma,
  ): Promise<AuditEventRow[]> {
    return tx.auditEvent.findMany({
      where: {
        ...auditWhere(query.filter),
        ...(query.beforeId !== undefined ? { id: { lt: query.beforeId } } : {}),
      },
      orderBy: { id: 'desc' },
      take: query.take,
    });
  }

  // Oldest first, strictly newer than `afterId`.
  listOldestFirst(
    query: { filter: AuditFilter; afterId?: bigint; take: number },
    tx: Tx = this.prisma,
  ): Promise<AuditEventRow[]> {
    return tx.auditEvent.findMany({
      where: {
        ...auditWhere(query.filter),
        ...(query.afterId !== undefined ? { id: { gt: query.afterId } } : {}),
      },
      orderBy: { id: 'asc' },
      take: query.take,
    });
  }

  // The whole (filtered) ledger in id order, one keyset page at a time, so memory stays flat however
  // long it is. Each page is its own query: events appended meanwhile show up at the end.
  async *batchesOldestFirst(filter: AuditFilter, size: number): AsyncGenerator<AuditEventRow[]> {
    let afterId: bigint | undefined;
    for (;;) {
      const rows = await this.listOldestFirst({ filter, afterId, take: size });
      if (rows.length) yield rows;
      if (rows.length < size) return;
      afterId = rows[rows.length - 1]!.id;
    }
  }
}
