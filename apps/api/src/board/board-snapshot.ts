import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Board } from '@flightdeck/contracts';
import { type BoardKey, encodeBoardCursor } from './board-page.js';

const gzipAsync = promisify(gzip);

// One board (or one page of it) as it goes on the wire: the JSON serialised once, its validator, and
// its gzip made on the first request that accepts it and shared by every later one.
export interface BoardSnapshot {
  readonly body: string;
  // Weak (W/"…"): the gzip and identity bodies are the same representation, not the same bytes.
  readonly etag: string;
  // After this time (epoch ms) the board may differ without any write: a freeze window opens or closes.
  readonly expiresAt: number;
  gzip(): Promise<Buffer>;
}

// A board serialised row by row: the whole body and any page of it are joins of the same strings
// (JSON.stringify of an array is its elements' JSON joined by commas), so a page costs no new
// serialisation of its rows.
export interface SerialisedBoard {
  readonly environments: string;
  readonly rows: readonly string[];
  readonly keys: readonly BoardKey[];
  readonly generatedAt: string;
}

export function serialise(board: Board): SerialisedBoard {
  return {
    environments: JSON.stringify(board.environments),
    rows: board.rows.map((row) => JSON.stringify(row)),
    keys: board.rows.map((row) => ({ name: row.service.name, id: row.service.id })),
    generatedAt: board.generatedAt,
  };
}

// The validator hashes everything but `generatedAt`, so replicas that built the same board (at
// different times) give the same ETag and a client moving between them still revalidates.
function snapshotOfContent(content: string, generatedAt: string, expiresAt: number): BoardSnapshot {
  const body = `${content.slice(0, -1)},"generatedAt":${JSON.stringify(generatedAt)}}`;
  const hash = createHash('sha256').update(content).digest('base64url').slice(0, 32);
  let compressed: Promise<Buffer> | null = null;
  return {
    body,
    etag: `W/"${hash}"`,
    expiresAt,
    gzip() {
      compressed ??= gzipAsync(body);
      return compressed;
    },
  };
}

// The whole board: byte for byte `JSON.stringify({ environments, rows, generatedAt })`.
export function wholeSnapshot(board: SerialisedBoard, expiresAt: number): BoardSnapshot {
  const content = `{"environments":${board.environments},"rows":[${board.rows.join(',')}]}`;
  return snapshotOfContent(content, board.generatedAt, expiresAt);
}

// At most `limit` rows from index `start`, every environment, and the cursor of the last row when
// rows remain after it.
export function pageSnapshot(
  board: SerialisedBoard,
  start: number,
  limit: number,
  expiresAt: number,
): BoardSnapshot {
  const end = Math.min(start + limit, board.rows.length);
  const last = board.keys[end - 1];
  const nextCursor = end < board.rows.length && last ? encodeBoardCursor(last) : null;
  const rows = board.rows.slice(start, end).join(',');
  const content = `{"environments":${board.environments},"rows":[${rows}],"nextCursor":${JSON.stringify(nextCursor)}}`;
  return snapshotOfContent(content, board.generatedAt, expiresAt);
}
