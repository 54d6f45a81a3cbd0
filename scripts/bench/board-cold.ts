import pg from 'pg';
import type { LoadResult } from './load.js';
import { summarise } from './stats.js';

const SUFFIX = ' (bench)';

// The board right after a change, one client: each round renames one service (a write the board shows,
// so every replica's cached board is stale) and times the next GET, which waits for the rebuild. What a
// browser sees after a deployment moves, and what the cached rows leave out. The name is restored.
export async function measureColdBoard(options: {
  url: string;
  token: string;
  databaseUrl: string;
  rounds: number;
}): Promise<LoadResult> {
  const client = new pg.Client({ connectionString: options.databaseUrl });
  await client.connect();
  const samples: number[] = [];
  const statuses: Record<string, number> = {};
  let bytes = 0;
  const started = performance.now();
  try {
    for (let round = 0; round < options.rounds; round += 1) {
      await client.query(
        `UPDATE services SET name = CASE WHEN right(name, $1) = $2 THEN left(name, -$1) ELSE name || $2 END
         WHERE id = (SELECT id FROM services ORDER BY slug LIMIT 1)`,
        [SUFFIX.length, SUFFIX],
      );
      const sent = performance.now();
      const response = await fetch(`${options.url}/api/v1/board`, {
        headers: { authorization: `Bearer ${options.token}`, 'accept-encoding': 'gzip' },
      });
      const body = await response.arrayBuffer();
      // fetch decompresses: the bytes on the wire are in Content-Length.
      bytes += Number(response.headers.get('content-length') ?? body.byteLength);
      samples.push(performance.now() - sent);
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
    }
    if (options.rounds % 2 === 1)
      await client.query(`UPDATE services SET name = left(name, -$1) WHERE right(name, $1) = $2`, [
        SUFFIX.length,
        SUFFIX,
      ]);
  } finally {
    await client.end();
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    name: 'board-cold',
    description: 'GET /api/v1/board right after a change (rebuilds the board), one client',
    connections: 1,
    durationSeconds: Math.round(seconds),
    latency: summarise(samples),
    requestsPerSecond: Math.round((samples.length / seconds) * 10) / 10,
    meanBytes: samples.length ? Math.round(bytes / samples.length) : 0,
    statuses,
    errors: 0,
  };
}
