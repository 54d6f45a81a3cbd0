import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type MigrateFn,
  type TestDatabaseContext,
  TEST_DB_PREFIX,
  databaseUrl,
  quoteIdent,
  withClient,
} from './database-setup.js';

/** Key under which globalSetup provides the TestDatabaseContext (see apps/api/test/global-setup.ts). */
export const TEST_DATABASE_CONTEXT_KEY = 'flightdeckTestDatabase';

export interface TestDatabase {
  url: string;
  /** Drops the database (embedded mode: hands the shared one to the next test file). Call it in afterAll. */
  drop: () => Promise<void>;
}

export interface CreateTestDatabaseOptions {
  /** No migrations applied: for tests of the migrations themselves. */
  empty?: boolean;
}

const LOCK_WAIT_MS = 5 * 60 * 1000;

/** What globalSetup provided: lets a test skip what the embedded fallback cannot do. */
export async function testDatabaseContext(): Promise<TestDatabaseContext> {
  // Imported lazily so that test-kit's other helpers stay usable outside a vitest worker. Untyped key:
  // the app's vitest may be another install than ours, so a ProvidedContext augmentation here would not reach it.
  const { inject } = await import('vitest');
  const context = (inject as unknown as (key: string) => TestDatabaseContext | undefined)(
    TEST_DATABASE_CONTEXT_KEY,
  );
  if (!context) {
    throw new Error('No test database context: is apps/api/test/global-setup.ts listed in globalSetup?');
  }
  return context;
}

/**
 * A throwaway database for one test file: a clone of the run's migrated template on a real server, or the
 * embedded database reset and migrated again (held exclusively until drop()).
 */
export async function createTestDatabase(options: CreateTestDatabaseOptions = {}): Promise<TestDatabase> {
  const context = await testDatabaseContext();
  return context.mode === 'server' ? createOnServer(context, options) : createEmbedded(context, options);
}

async function createOnServer(
  context: TestDatabaseContext,
  options: CreateTestDatabaseOptions,
): Promise<TestDatabase> {
  const name = `${TEST_DB_PREFIX}${context.runId}_${randomBytes(4).toString('hex')}`;
  const template = options.empty ? 'template0' : context.template;
  if (template === null) throw new Error('Server mode without a template database');
  await withClient(context.adminUrl, (client) =>
    client.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(template)}`),
  );
  let dropped = false;
  return {
    url: databaseUrl(context.adminUrl, name),
    drop: async () => {
      if (dropped) return;
      dropped = true;
      await withClient(context.adminUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`),
      );
    },
  };
}

// PGlite is one database and one session, so files cannot get their own: each takes an exclusive lease
// (an atomic mkdir), resets the public schema and migrates it again. Holder pid lets a killed worker's lease go.
async function acquireLease(lockDir: string): Promise<() => Promise<void>> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      await mkdir(lockDir);
      await writeFile(join(lockDir, 'pid'), String(process.pid));
      return () => rm(lockDir, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number(await readFile(join(lockDir, 'pid'), 'utf8').catch(() => ''));
    if (holder > 0 && holder !== process.pid && !isAlive(holder)) {
      await rm(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Embedded test database still held after ${LOCK_WAIT_MS} ms: did a file forget drop()?`,
      );
    }
    await sleep(100);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function createEmbedded(
  context: TestDatabaseContext,
  options: CreateTestDatabaseOptions,
): Promise<TestDatabase> {
  if (context.lockDir === null) throw new Error('Embedded mode without a lock directory');
  const release = await acquireLease(context.lockDir);
  try {
    await withClient(context.adminUrl, (client) =>
      client.query('DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;'),
    );
    if (!options.empty) {
      const migrator = (await import(context.migratorModule)) as { migrateTestDatabase: MigrateFn };
      await migrator.migrateTestDatabase(context.adminUrl);
    }
  } catch (error) {
    await release();
    throw error;
  }
  let dropped = false;
  return {
    url: context.adminUrl,
    drop: async () => {
      if (dropped) return;
      dropped = true;
      await release();
    },
  };
}
