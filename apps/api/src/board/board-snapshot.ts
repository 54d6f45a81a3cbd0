import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Board } from '@flightdeck/contracts';

const gzipAsync = promisify(gzip);

// One board as it goes on the wire: the JSON serialised once, its validator, and its gzip made on the
// first request that accepts it and shared by every later one.
export interface BoardSnapshot {
  readonly body: string;
  // Weak (W/"…"): the gzip and identity bodies are the same representation, not the same bytes.
  readonly etag: string;
  // After this time (epoch ms) the board may differ without any write: a freeze window opens or closes.
  readonly expiresAt: number;
  gzip(): Promise<Buffer>;
}

// The validator hashes everything but `generatedAt`, so replicas that built the same board (at
// different times) give the same ETag and a client moving between them still revalidates.
export function snapshotOf(board: Board, expiresAt: number): BoardSnapshot {
  const content = JSON.stringify({ environments: board.environments, rows: board.rows });
  const body = `${content.slice(0, -1)},"generatedAt":${JSON.stringify(board.generatedAt)}}`;
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
