import { invalidCursor } from '../common/pagination.js';

// A row's place in the board's order (service name, then id): what a cursor holds, so a page
// continues after that place even when the row itself has since been renamed or deleted.
export interface BoardKey {
  name: string;
  id: string;
}

// One page of rows asked for: those after `after` (from the start without it), at most `limit`.
export interface BoardPageRequest {
  after: BoardKey | null;
  limit: number;
}

export const BOARD_PAGE_DEFAULT = 50;
const PREFIX = 'board:';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// Opaque to clients: base64url of `board:<id>:<name>` (the id has a fixed length, so any name fits).
export function encodeBoardCursor(key: BoardKey): string {
  return Buffer.from(`${PREFIX}${key.id}:${key.name}`).toString('base64url');
}

export function decodeBoardCursor(value: string): BoardKey {
  const text = Buffer.from(value, 'base64url').toString('utf8');
  // Round trip: base64url decoding skips characters outside its alphabet instead of failing.
  if (Buffer.from(text).toString('base64url') !== value || !text.startsWith(PREFIX)) throw invalidCursor();
  const id = text.slice(PREFIX.length, PREFIX.length + 36);
  const name = text.slice(PREFIX.length + 37);
  if (!UUID.test(id) || text[PREFIX.length + 36] !== ':') throw invalidCursor();
  return { id, name };
}

// Null when the request asks for the whole board (neither `limit` nor `cursor`).
export function boardPageRequest(query: { limit?: number; cursor?: string }): BoardPageRequest | null {
  if (query.limit === undefined && query.cursor === undefined) return null;
  return {
    after: query.cursor === undefined ? null : decodeBoardCursor(query.cursor),
    limit: query.limit ?? BOARD_PAGE_DEFAULT,
  };
}
