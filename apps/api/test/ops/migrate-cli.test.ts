import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '@flightdeck/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../support/sql.js';

// The entrypoint of the Helm chart's migration job, run as the job runs it.
const apiRoot = path.resolve(import.meta.dirname, '../..');
const run = (env: Record<string, string>) =>
  spawnSync(
    process.execPath,
    ['--import', 'tsx', '--conditions=flightdeck-source', path.join(apiRoot, 'src/database/migrate-cli.ts')],
    {
      cwd: apiRoot,
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
      encoding: 'utf8',
      timeout: 60_000,
    },
  );

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db?.drop();
});

describe('the migration command', () => {
  it('migrates an empty database, then finds the schema up to date', async () => {
    await sql(db.url, 'DROP SCHEMA public CASCADE');
    await sql(db.url, 'CREATE SCHEMA public');
    const first = run({ DATABASE_URL: db.url });
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain('migrations applied');
    const [row] = await sql(
      db.url,
      'SELECT count(*)::int AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL',
    );
    expect(row!.n).toBeGreaterThan(0);
    await sql(db.url, 'SELECT 1 FROM deployments LIMIT 1');

    const again = run({ DATABASE_URL: db.url });
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain('database schema is up to date');
  }, 90_000);

  it('refuses to run without DATABASE_URL', () => {
    const result = run({});
    expect(result.status).toBe(78);
    expect(result.stdout).toContain('DATABASE_URL is not set');
  }, 30_000);
});
