import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMBEDDED_POOL_MAX, startEmbeddedPostgres } from '../../src/database/embedded-postgres.js';
import { applyMigrations, defaultMigrationsDir, readMigrations } from '../../src/database/migrations.js';

let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'flightdeck-embedded-test-'));
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

describe('startEmbeddedPostgres', () => {
  it('accepts migrations and keeps its data across a stop and a start', async () => {
    const { migrations } = await readMigrations(defaultMigrationsDir());

    const first = await startEmbeddedPostgres({ dataDir, port: 0 });
    try {
      expect(first.connectionString).toMatch(/^postgresql:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
      expect(first.connectionString).not.toContain(':0/');
      const result = await applyMigrations({
        connectionString: first.connectionString,
        poolMax: EMBEDDED_POOL_MAX,
      });
      expect(result.applied).toEqual(migrations.map((migration) => migration.name));
      await query(
        first.connectionString,
        `INSERT INTO services (id, slug, name, updated_at) VALUES (gen_random_uuid(), 'kept', 'Kept', now())`,
      );
      // A second process on the same directory would corrupt it.
      await expect(startEmbeddedPostgres({ dataDir })).rejects.toThrow(/in use/);
    } finally {
      await first.stop();
    }

    const port = await freePort();
    const second = await startEmbeddedPostgres({ dataDir, port });
    try {
      expect(second.connectionString).toBe(`postgresql://postgres@127.0.0.1:${port}/postgres`);
      const rows = await query<{ slug: string }>(second.connectionString, 'SELECT slug FROM services');
      expect(rows).toEqual([{ slug: 'kept' }]);
      await expect(
        applyMigrations({ connectionString: second.connectionString, poolMax: EMBEDDED_POOL_MAX }),
      ).resolves.toEqual({ applied: [] });
    } finally {
      await second.stop();
    }
  });

  it('stops cleanly with a client still connected, and refuses connections afterwards', async () => {
    const server = await startEmbeddedPostgres({ dataDir: join(dataDir, 'other') });
    const client = new pg.Client(server.connectionString);
    client.on('error', () => undefined); // the server hangs up on it
    await client.connect();
    await client.query('SELECT 1');
    await server.stop();
    await server.stop(); // idempotent
    await expect(query(server.connectionString, 'SELECT 1')).rejects.toThrow();
    await client.end().catch(() => undefined);
  });
});
