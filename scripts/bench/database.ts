import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { applyMigrations } from '../../apps/api/src/database/migrations.js';

export const DEFAULT_SERVER_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

// A database of its own on the server, migrated with the app's migration code; the server's other
// databases are never touched.
export async function createBenchDatabase(serverUrl: string): Promise<BenchDatabase> {
  const name = `fd_bench_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(serverUrl, name);
  await applyMigrations({ connectionString: url });
  return {
    url,
    name,
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

export function existingDatabase(serverUrl: string, name: string): BenchDatabase {
  if (!/^fd_bench_[a-z0-9_]+$/.test(name))
    throw new Error(`--reuse takes a bench database name (fd_bench_…), not "${name}"`);
  return { url: withDatabase(serverUrl, name), name, drop: () => Promise.resolve() };
}

export async function serverFacts(url: string): Promise<{ version: string }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return { version: rows[0]!.server_version };
  } finally {
    await client.end();
  }
}
