import { ValidationError } from './errors.js';

export interface Cursor {
  createdAt: Date;
  id: string;
}

// Keyset pagination over (created_at desc, id desc): stable under inserts, cheap at any depth.
export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(`${cursor.createdAt.toISOString()}|${cursor.id}`).toString('base64url');
}

export function decodeCursor(value: string | undefined): Cursor | undefined {
  if (value === undefined) return undefined;
  const [iso, id] = Buffer.from(value, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(iso ?? '');
  if (!id || Number.isNaN(createdAt.getTime()) || !/^[0-9a-f-]{36}$/i.test(id)) throw invalidCursor();
  return { createdAt, id };
}

// A cursor this endpoint did not give out (malformed, or another list's): 400 naming the parameter.
export function invalidCursor(): ValidationError {
  return new ValidationError(
    'INVALID_QUERY',
    'Invalid query parameter — cursor: not a cursor from a previous page',
    { issues: [{ field: 'cursor', message: 'not a cursor from a previous page' }] },
  );
}

export function pageResult<T extends { createdAt: Date; id: string }, R>(
  rows: T[],
  limit: number,
  map: (row: T) => R,
): { items: R[]; nextCursor: string | null } {
  const hasMore = rows.length > limit;
  const page = hasMore ? rows.slice(0, limit) : rows;
  const last = page.at(-1);
  return { items: page.map(map), nextCursor: hasMore && last ? encodeCursor(last) : null };
}

// Prisma `where` fragment selecting rows strictly after the cursor in (createdAt desc, id desc) order.
export function afterCursor(cursor: Cursor | undefined) {
  if (!cursor) return {};
  return {
    OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }],
  };
}
