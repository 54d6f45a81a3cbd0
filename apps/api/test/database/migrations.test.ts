import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase, testDatabaseContext } from '@flightdeck/test-kit';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { EMBEDDED_POOL_MAX } from '../../src/database/embedded-postgres.js';
import { applyMigrations, findPrismaDir, readMigrations } from '../../src/database/migrations.js';

const databases: TestDatabase[] = [];
afterEach(async () => {
  await Promise.all(databases.splice(0).map((database) => database.drop()));
});

async function emptyDatabase(): Promise<string> {
  const database = await createTestDatabase({ empty: true });
  databases.push(database);
  return database.url;
}

async function appliedNames(url: string): Promise<string[]> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    const { rows } = await client.query<{ migration_name: string }>(
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name',
    );
    return rows.map((row) => row.migration_name);
  } finally {
    await client.end();
  }
}

const embedded = (await testDatabaseContext()).mode === 'embedded';
const repoRoot = join(findPrismaDir(), '..');

function runMigrateScript(url: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(repoRoot, 'node_modules', '.bin', 'tsx'), ['scripts/db/migrate.ts'], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: url },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('applyMigrations', () => {
  it('applies every migration to an empty database, then nothing the second time', async () => {
    const url = await emptyDatabase();
    const { migrations } = await readMigrations(join(findPrismaDir(), 'migrations'));
    const names = migrations.map((migration) => migration.name);
    expect(names.length).toBeGreaterThan(0);

    await expect(applyMigrations({ connectionString: url, poolMax: EMBEDDED_POOL_MAX })).resolves.toEqual({
      applied: names,
    });
    await expect(applyMigrations({ connectionString: url, poolMax: EMBEDDED_POOL_MAX })).resolves.toEqual({
      applied: [],
    });
    expect(await appliedNames(url)).toEqual(names);
  });

  // On the embedded server every client shares one session, so the advisory lock cannot separate two
  // appliers there; one process per embedded database is the deployment model anyway.
  it.skipIf(embedded)(
    'lets concurrent appliers in one process apply each migration exactly once',
    async () => {
      const url = await emptyDatabase();
      const results = await Promise.all([1, 2, 3].map(() => applyMigrations({ connectionString: url })));
      const applied = results.flatMap((result) => result.applied);
      const names = await appliedNames(url);
      expect(applied.sort()).toEqual(names);
      expect(results.filter((result) => result.applied.length > 0)).toHaveLength(1);
    },
  );

  it.skipIf(embedded)(
    'lets two db:migrate processes start at once',
    async () => {
      const url = await emptyDatabase();
      const [first, second] = await Promise.all([runMigrateScript(url), runMigrateScript(url)]);
      expect(first?.code, first?.output).toBe(0);
      expect(second?.code, second?.output).toBe(0);
      const outputs = [first?.output ?? '', second?.output ?? ''];
      expect(outputs.filter((output) => /applied \d+ migration/.test(output))).toHaveLength(1);
      expect(outputs.filter((output) => output.includes('database is up to date'))).toHaveLength(1);
    },
    60_000,
  );

  it('fails clearly when DATABASE_URL is unset', async () => {
    const { code, output } = await runMigrateScript('');
    expect(code).toBe(1);
    expect(output).toContain('DATABASE_URL is not set');
  });
});
