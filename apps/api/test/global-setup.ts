import { type TestDatabaseContext, type TestDatabaseHarness, setupTestDatabases } from '@flightdeck/test-kit';
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

// The api and api-heavy projects share one harness: vitest runs their global setups at once in one process,
// and two WASM schema engines migrating at once crash it. The last project to finish tears it down.
const shared = globalThis as { flightdeckHarness?: { harness: Promise<TestDatabaseHarness>; users: number } };

/** Once per run: a migrated template database (or an embedded PGlite), removed again at teardown. */
export async function setup(project: TestProject): Promise<() => Promise<void>> {
  const entry = (shared.flightdeckHarness ??= {
    harness: setupTestDatabases({
      migrate: migrateTestDatabase,
      migratorModule: import.meta.url,
      startEmbedded: (dataDir) => startEmbeddedPostgres({ dataDir }),
    }),
    users: 0,
  });
  entry.users++;
  const harness = await entry.harness;
  project.provide('flightdeckTestDatabase', harness.context);
  return async () => {
    if (--entry.users > 0) return;
    delete shared.flightdeckHarness;
    await harness.teardown();
  };
}
