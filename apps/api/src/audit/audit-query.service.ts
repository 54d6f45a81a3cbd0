import { Inject, Injectable } from '@nestjs/common';
import type { AuditEvent } from '@flightdeck/contracts';
import { decodeAuditCursor, encodeAuditCursor } from './audit-cursor.js';
import { type AuditFilterQuery, toAuditFilter } from './audit-filter.js';
import { mapAuditEvent } from './audit.mappers.js';
import { AuditRepository } from './audit.repository.js';

@Injectable()
export class AuditQueryService {
  constructor(@Inject(AuditRepository) private readonly audit: AuditRepository) {}

  // Newest first; one row beyond the page tells whether there is a next one.
  async list(
    query: AuditFilterQuery & { limit: number; cursor?: string },
  ): Promise<{ items: AuditEvent[]; nextCursor: string | null }> {
    const filter = toAuditFilter(query);
    const beforeId = decodeAuditCursor(query.cursor);
    const rows = await this.audit.listNewestFirst({ filter, beforeId, take: query.limit + 1 });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page.map(mapAuditEvent),
      nextCursor: rows.length > query.limit && last ? encodeAuditCursor(last.id) : null,
    };
  }
}
