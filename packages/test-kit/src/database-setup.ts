import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** Where the harness looks for a Postgres server unless TEST_DATABASE_URL says otherwise. */
export const DEFAULT_TEST_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

const TEMPLATE_PREFIX = 'fd_tpl_';
export const TEST_DB_PREFIX = 'fd_test_';
/** Leftovers of killed runs older than this are dropped by the next run. */
const STALE_AFTER_MS = 6 * 60 * 60 * 1000;
const PROBE_TIMEOUT_MS = 2_000;

/** Handed from globalSetup to test workers through vitest's provide/inject. */
export interface TestDatabaseContext {
  mode: 'server' | 'embedded';
  /** A database on the server to run CREATE/DROP DATABASE from (embedded: the one database). */
  adminUrl: string;
  /** Unique per run; part of every database name the run creates. */
  runId: string;
  /** Server mode: the migrated template each test database is cloned from. */
  template: string | null;
  /** Embedded mode: a directory whose creation is the lock that lets one test file at a time in. */
  lockDir: string | null;
  /**
   * Module (file URL) exporting `migrateTestDatabase(url)`: how a worker migrates a database in embedded
   * mode without test-kit importing the api.
   */
  migratorModule: string;
}

export type MigrateFn = (connectionString: string) => Promise<unknown>;

export interface EmbeddedServer {
  connectionString: string;
  stop: () => Promise<void>;
}

export interface SetupTestDatabasesOptions {
  migrate: MigrateFn;
  migratorModule: string;
  startEmbedded: (dataDir: string) => Promise<EmbeddedServer>;
  /** Defaults to TEST_DATABASE_URL, else DEFAULT_TEST_DATABASE_URL. */
  serverUrl?: string;
  log?: (line: string) => void;
}

export interface TestDatabaseHarness {
  context: TestDatabaseContext;
  teardown: () => Promise<void>;
}

export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

function timestampOf(date: Date): string {
  return date.toISOString().replace(/\D/g, '').slice(0, 14);
}

/** Runs `fn` with a client on `url`, closed afterwards. */
export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: PROBE_TIMEOUT_MS });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Resolves to null when a server answers at `url`, else to why not. Errors from a live server (auth…) throw. */
async function probe(url: string): Promise<string | null> {
  try {
    await withClient(url, (client) => client.query('SELECT 1'));
    return null;
  } catch (error) {
    // pg errors carrying a severity come from a server that answered: misconfiguration, not absence.
    if (error instanceof Error && 'severity' in error) throw error;
    return error instanceof Error ? error.message : String(error);
  }
}

async function dropStaleDatabases(client: pg.Client): Promise<void> {
  const { rows } = await client.query<{ datname: string }>(
    `SELECT datname FROM pg_database WHERE datname LIKE 'fd\\_tpl\\_%' OR datname LIKE 'fd\\_test\\_%'`,
  );
  const cutoff = timestampOf(new Date(Date.now() - STALE_AFTER_MS));
  for (const { datname } of rows) {
    const stamp = /^fd_(?:tpl|test)_(\d{14})_/.exec(datname)?.[1];
    if (stamp !== undefined && stamp < cutoff) {
      await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(datname)} WITH (FORCE)`);
    }
  }
}

async function setupServer(
  serverUrl: string,
  runId: string,
  options: SetupTestDatabasesOptions,
): Promise<TestDatabaseHarness> {
  const template = `${TEMPLATE_PREFIX}${runId}`;
  await withClient(serverUrl, async (client) => {
    await dropStaleDatabases(client);
    await client.query(`CREATE DATABASE ${quoteIdent(template)}`);
  });
  try {
    await options.migrate(databaseUrl(serverUrl, template));
    // Nobody may connect to it any more: CREATE DATABASE … TEMPLATE fails while the source has sessions.
    await withClient(serverUrl, (client) =>
      client.query(`ALTER DATABASE ${quoteIdent(template)} WITH ALLOW_CONNECTIONS false`),
    );
  } catch (error) {
    await withClient(serverUrl, (client) =>
      client.query(`DROP DATABASE IF EXISTS ${quoteIdent(template)} WITH (FORCE)`),
    );
    throw error;
  }
  return {
    context: {
      mode: 'server',
      adminUrl: serverUrl,
      runId,
      template,
      lockDir: null,
      migratorModule: options.migratorModule,
    },
    teardown: () =>
      withClient(serverUrl, async (client) => {
        // Also catches test databases whose file forgot drop().
        const { rows } = await client.query<{ datname: string }>(
          'SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2',
          [template, `${TEST_DB_PREFIX}${runId}_%`],
        );
        for (const { datname } of rows) {
          await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(datname)} WITH (FORCE)`);
        }
      }),
  };
}

async function setupEmbedded(
  runId: string,
  options: SetupTestDatabasesOptions,
): Promise<TestDatabaseHarness> {
  const workDir = await mkdtemp(join(tmpdir(), `flightdeck-test-${runId}-`));
  await mkdir(join(workDir, 'pgdata'));
  const server = await options.startEmbedded(join(workDir, 'pgdata'));
  return {
    context: {
      mode: 'embedded',
      adminUrl: server.connectionString,
      runId,
      template: null,
      lockDir: join(workDir, 'lock'),
      migratorModule: options.migratorModule,
    },
    teardown: async () => {
      await server.stop();
      await rm(workDir, { recursive: true, force: true });
    },
  };
}

/**
 * For vitest's globalSetup. Server mode: builds one migrated template database per run. Embedded mode (no
 * server answered): starts one PGlite for the run; it is a single database and a single session, so test
 * files take turns on it (see createTestDatabase).
 */
export async function setupTestDatabases(options: SetupTestDatabasesOptions): Promise<TestDatabaseHarness> {
  const serverUrl = options.serverUrl ?? process.env['TEST_DATABASE_URL'] ?? DEFAULT_TEST_DATABASE_URL;
  const runId = `${timestampOf(new Date())}_${randomBytes(3).toString('hex')}`;
  const unreachable = await probe(serverUrl);
  if (unreachable === null) return setupServer(serverUrl, runId, options);
  (options.log ?? console.warn)(
    `[test-kit] No Postgres at ${redact(serverUrl)} (${unreachable}); using an embedded PGlite, test files that use a database run one at a time.`,
  );
  return setupEmbedded(runId, options);
}
