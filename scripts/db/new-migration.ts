// Writes prisma/migrations/<UTC timestamp>_<name>/ from the changes in prisma/schema.prisma.
// Usage: pnpm db:new-migration <name>
//
// Snapshot convention: every migration folder holds `migration.sql` and `schema.prisma`, a copy of
// prisma/schema.prisma as it was when that migration was written (commit both). The wasm schema engine
// cannot diff from a live database or a migrations folder here (DESIGN.md), so the new migration is the
// engine's diff from the last folder's snapshot to the current schema; no change means no migration.
// Hand-written SQL (e.g. partial indexes) goes at the end of migration.sql under a comment, and the objects it
// creates go in the allowlist of apps/api/test/database/drift.test.ts.
//
// The engine needs a live connection even for a text-to-text diff: DATABASE_URL if set, else a throwaway
// embedded Postgres. Nothing is written to that database.
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmbeddedPostgres } from '../../apps/api/src/database/embedded-postgres.js';
import {
  MIGRATION_FILE,
  MIGRATION_LOCKFILE,
  SCHEMA_SNAPSHOT_FILE,
} from '../../apps/api/src/database/migrations.js';
import { diffSchemas } from '../../apps/api/src/database/schema-engine.js';

const prismaDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'prisma');
const migrationsDir = join(prismaDir, 'migrations');
const schemaPath = join(prismaDir, 'schema.prisma');

function fail(message: string): never {
  console.error(`db:new-migration: ${message}`);
  process.exit(1);
}

function timestamp(date: Date): string {
  return date.toISOString().replace(/\D/g, '').slice(0, 14);
}

const rawName = process.argv[2];
const name = rawName
  ?.toLowerCase()
  .replace(/[^a-z0-9]+/g, '_')
  .replace(/^_|_$/g, '');
if (!name) fail('usage: pnpm db:new-migration <name>');

await mkdir(migrationsDir, { recursive: true });
const folders = (await readdir(migrationsDir, { withFileTypes: true }))
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();
const last = folders.at(-1);
let previousSchema: string | null = null;
if (last !== undefined) {
  const snapshotPath = join(migrationsDir, last, SCHEMA_SNAPSHOT_FILE);
  if (!existsSync(snapshotPath)) fail(`${last} has no ${SCHEMA_SNAPSHOT_FILE} snapshot to diff from`);
  previousSchema = await readFile(snapshotPath, 'utf8');
}
const currentSchema = await readFile(schemaPath, 'utf8');

const folder = `${timestamp(new Date())}_${name}`;
if (last !== undefined && folder <= last) fail(`${folder} would not sort after ${last}; check the clock`);

async function diffWithSomeDatabase() {
  const url = process.env['DATABASE_URL'];
  if (url) return diffSchemas(previousSchema, currentSchema, url);
  const dataDir = await mkdtemp(join(tmpdir(), 'flightdeck-diff-'));
  const embedded = await startEmbeddedPostgres({ dataDir });
  try {
    return await diffSchemas(previousSchema, currentSchema, embedded.connectionString);
  } finally {
    await embedded.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const diff = await diffWithSomeDatabase();
if (!diff.changed) fail(`prisma/schema.prisma has no changes since ${last ?? 'an empty database'}`);

const target = join(migrationsDir, folder);
await mkdir(target);
await writeFile(join(target, MIGRATION_FILE), diff.sql);
await copyFile(schemaPath, join(target, SCHEMA_SNAPSHOT_FILE));
const lockPath = join(migrationsDir, MIGRATION_LOCKFILE);
if (!existsSync(lockPath)) {
  await writeFile(lockPath, '# Written by scripts/db; do not edit.\nprovider = "postgresql"\n');
}
console.log(
  `db:new-migration: wrote prisma/migrations/${folder}/${MIGRATION_FILE} (review it, then commit the folder)`,
);
// The wasm engine leaves a 10 s timer behind after each call; do not wait for it.
process.exit(0);
