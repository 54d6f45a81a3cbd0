import type { AuditEvent } from '@flightdeck/contracts';
import type { HashedAuditFields } from './audit-hash.js';
import type { AuditEventRow } from './audit.repository.js';

export function mapAuditEvent(row: AuditEventRow): AuditEvent {
  return {
    id: row.id.toString(),
    occurredAt: row.occurredAt.toISOString(),
    actor: { type: row.actorType, id: row.actorId, name: row.actorName },
    action: row.action,
    outcome: row.outcome,
    target: row.targetType === null ? null : { type: row.targetType, id: row.targetId },
    reason: row.reason,
    ip: row.ip,
    userAgent: row.userAgent,
    before: row.before ?? null,
    after: row.after ?? null,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

// Exactly the stored fields the hash covers; a SQL NULL json column comes back as null, as it was hashed.
export function hashedFieldsOf(row: AuditEventRow): HashedAuditFields {
  return {
    prevHash: row.prevHash,
    occurredAt: row.occurredAt,
    actorType: row.actorType,
    actorId: row.actorId,
    actorName: row.actorName,
    action: row.action,
    outcome: row.outcome,
    targetType: row.targetType,
    targetId: row.targetId,
    reason: row.reason,
    ip: row.ip,
    userAgent: row.userAgent,
    before: row.before ?? null,
    after: row.after ?? null,
  };
}
