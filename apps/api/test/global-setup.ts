import { type TestDatabaseContext, setupTestDatabases } from '@flightdeck/test-kit';
import type { TestProject } from 'vitest/node';
import { EMBEDDED_POOL_MAX, startEmbeddedPostgres } from '../src/database/embedded-postgres.js';
import { applyMigrations } from '../src/database/migrations.js';

declare module 'vitest' {
  export interface ProvidedContext {
    // Must match TEST_DATABASE_CONTEXT_KEY in @flightdeck/test-kit.
    flightdeckTestDatabase: TestDatabaseContext;
  }
}

/**
 * How the test harness migrates a database. Workers import it from this module (by URL) in embedded mode,
 * which keeps @flightdeck/test-kit free of imports from the api.
 */
export async function migrateTestDatabase(connectionString: string): Promise<void> {
  // Pool of one: harmless on a real server, required on the embedded one.
  await applyMigrations({ connectionString, poolMax: EMBEDDED_POOL_MAX });
}

/** Once per run: a migrated template database (or an embedded PGlite), removed again at teardown. */
export async function setup(project: TestProject): Promise<() => Promise<void>> {
  const harness = await setupTestDatabases({
    migrate: migrateTestDatabase,
    migratorModule: import.meta.url,
    startEmbedded: (dataDir) => startEmbeddedPostgres({ dataDir }),
  });
  project.provide('flightdeckTestDatabase', harness.context);
  return harness.teardown;
}
