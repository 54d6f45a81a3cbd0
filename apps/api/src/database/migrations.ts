import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { NO_EXTERNAL_OBJECTS, withSchemaEngine } from './schema-engine.js';

/** One folder of `prisma/migrations`: `<timestamp>_<name>/migration.sql`. */
export interface Migration {
  name: string;
  sql: string;
}

export interface MigrationSet {
  dir: string;
  /** Content of migration_lock.toml, null when absent. */
  lockfile: string | null;
  migrations: Migration[];
}

export const MIGRATION_FILE = 'migration.sql';
export const MIGRATION_LOCKFILE = 'migration_lock.toml';
/** Copy of schema.prisma as of each migration, committed beside its migration.sql (see scripts/db). */
export const SCHEMA_SNAPSHOT_FILE = 'schema.prisma';

/**
 * Key of the session-level advisory lock held while migrating. Distinct from Prisma's own (72707369) and from
 * the app's job locks; any process that migrates must use this one.
 */
export const MIGRATION_LOCK_KEY = 4_611_686_018_427_387_001n;

// applyMigrations only needs the provider; the models are irrelevant to replaying SQL files.
const PROVIDER_ONLY_SCHEMA = 'datasource db {\n  provider = "postgresql"\n}\n';

/**
 * Finds `prisma/` at the repository root by walking up from this module, so the same code works from
 * `apps/api/src/database` (tsx, vitest) and from `apps/api/dist/database` (compiled).
 */
export function findPrismaDir(from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const candidate = join(dir, 'prisma');
    if (existsSync(join(candidate, 'migrations', MIGRATION_LOCKFILE))) return candidate;
    if (dirname(dir) === dir) {
      throw new Error(`No prisma/migrations/${MIGRATION_LOCKFILE} found above ${from}`);
    }
  }
}

export function defaultMigrationsDir(): string {
  return join(findPrismaDir(), 'migrations');
}

export function defaultSchemaPath(): string {
  return join(findPrismaDir(), 'schema.prisma');
}

/** Reads every migration folder in name (= timestamp) order. */
export async function readMigrations(migrationsDir: string): Promise<MigrationSet> {
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const migrations = await Promise.all(
    names.map(async (name) => {
      const file = join(migrationsDir, name, MIGRATION_FILE);
      if (!existsSync(file)) throw new Error(`Migration folder ${name} has no ${MIGRATION_FILE}`);
      return { name, sql: await readFile(file, 'utf8') };
    }),
  );
  const lockPath = join(migrationsDir, MIGRATION_LOCKFILE);
  const lockfile = existsSync(lockPath) ? await readFile(lockPath, 'utf8') : null;
  return { dir: resolve(migrationsDir), lockfile, migrations };
}

export interface ApplyMigrationsOptions {
  connectionString: string;
  migrationsDir?: string;
  /** Only the datasource provider matters; defaults to a provider-only schema. */
  schemaText?: string;
  /** Pool size for the engine's connections; 1 against the embedded server. */
  poolMax?: number;
}

/**
 * Applies pending migrations like `prisma migrate deploy` (recorded in `_prisma_migrations`). Idempotent,
 * and serialised across processes by an advisory lock, so replicas may all call it at startup.
 */
export async function applyMigrations(options: ApplyMigrationsOptions): Promise<{ applied: string[] }> {
  const set = await readMigrations(options.migrationsDir ?? defaultMigrationsDir());
  const lockClient = new pg.Client({ connectionString: options.connectionString });
  await lockClient.connect();
  try {
    await lockClient.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY.toString()]);
    const engineOptions = options.poolMax === undefined ? {} : { poolMax: options.poolMax };
    const output = await withSchemaEngine(
      options.connectionString,
      options.schemaText ?? PROVIDER_ONLY_SCHEMA,
      (engine) =>
        engine.applyMigrations({
          migrationsList: {
            baseDir: set.dir,
            lockfile: { path: MIGRATION_LOCKFILE, content: set.lockfile },
            shadowDbInitScript: '',
            migrationDirectories: set.migrations.map((migration) => ({
              path: migration.name,
              migrationFile: { path: MIGRATION_FILE, content: { tag: 'ok', value: migration.sql } },
            })),
          },
          filters: NO_EXTERNAL_OBJECTS,
        }),
      engineOptions,
    );
    return { applied: output.appliedMigrationNames };
  } finally {
    // Unlock explicitly: on the embedded server every client shares one session, so disconnecting would not
    // release it. On a real server, ending the session releases it even if this query fails.
    await lockClient
      .query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY.toString()])
      .catch(() => undefined);
    await lockClient.end();
  }
}
