import { ValidationError } from '../common/errors.js';

// Audit ids are BIGSERIAL: the id alone orders the ledger, so the cursor is just the last id seen.
const MAX_ID = 2n ** 63n - 1n;

export function encodeAuditCursor(id: bigint): string {
  return Buffer.from(`audit:${id}`).toString('base64url');
}

export function decodeAuditCursor(value: string | undefined): bigint | undefined {
  if (value === undefined) return undefined;
  const match = /^audit:([1-9][0-9]{0,18})$/.exec(Buffer.from(value, 'base64url').toString('utf8'));
  const id = match?.[1] ? BigInt(match[1]) : null;
  if (id === null || id > MAX_ID) {
    throw new ValidationError(
      'INVALID_QUERY',
      'Invalid query parameter — cursor: not a cursor from a previous page',
      { issues: [{ field: 'cursor', message: 'not a cursor from a previous page' }] },
    );
  }
  return id;
}
