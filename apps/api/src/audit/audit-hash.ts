import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

// The fields an event's hash covers, in the form they are stored.
export interface HashedAuditFields {
  prevHash: string;
  occurredAt: Date;
  actorType: string;
  actorId: string | null;
  actorName: string;
  action: string;
  outcome: string;
  targetType: string | null;
  targetId: string | null;
  reason: string | null;
  ip: string | null;
  userAgent: string | null;
  before: unknown;
  after: unknown;
}

// JSON with object keys sorted at every depth: jsonb does not keep key order, so the hash must not
// depend on it.
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function computeAuditHash(fields: HashedAuditFields): string {
  return createHash('sha256')
    .update(canonicalJson({ ...fields, occurredAt: fields.occurredAt.toISOString() }))
    .digest('hex');
}
