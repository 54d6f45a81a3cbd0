import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * Pool size the API must use against the embedded server. PGlite is ONE Postgres session: pglite-socket
 * (0.2.17, see its src/index.ts) funnels all its connections into it through a single query queue, so
 * session state (SET, advisory locks, LISTEN) is shared, and while one connection has a transaction open the
 * others' queries wait, with no timeout, until it ends. More connections add no parallelism, only a way to
 * deadlock (a transaction awaiting a query on another connection); with one, the pool reports the mistake.
 */
export const EMBEDDED_POOL_MAX = 1;

/**
 * Connections the embedded server accepts (pglite-socket's default is 1; beyond the limit it writes
 * "Too many connections" and hangs up). Room for the API pool plus short-lived clients such as the
 * migration lock client and the schema engine's pool, which do not issue queries concurrently.
 */
export const EMBEDDED_MAX_CONNECTIONS = 8;

export interface EmbeddedPostgresOptions {
  /** Where PGlite keeps its files; created if missing, reused on the next start. */
  dataDir: string;
  host?: string;
  /** 0 (default) picks a free port; the chosen one is in `connectionString`. */
  port?: number;
}

export interface EmbeddedPostgres {
  connectionString: string;
  /** Closes the server and PGlite; idempotent. */
  stop: () => Promise<void>;
}

const LOCK_FILE = 'flightdeck-embedded.pid';
/** Data dirs this process has open: a pid file cannot tell two starts in one process apart. */
const openDataDirs = new Set<string>();

// PGlite does not guard its data directory: two processes on one directory would corrupt it.
async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  if (openDataDirs.has(dataDir))
    throw new Error(`Embedded Postgres data dir ${dataDir} is in use by this process`);
  const lockPath = join(dataDir, LOCK_FILE);
  try {
    await writeFile(lockPath, String(process.pid), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const owner = Number((await readFile(lockPath, 'utf8')).trim());
    if (owner !== process.pid && isAlive(owner)) {
      throw new Error(`Embedded Postgres data dir ${dataDir} is in use by process ${owner}`, {
        cause: error,
      });
    }
    // Stale lock from a killed process (possibly with our pid, e.g. pid 1 in a restarted container).
    await writeFile(lockPath, String(process.pid));
  }
  openDataDirs.add(dataDir);
  return async () => {
    openDataDirs.delete(dataDir);
    await rm(lockPath, { force: true });
  };
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Starts PGlite on `dataDir` and serves it over the Postgres wire protocol on `host:port`. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = resolve(options.dataDir);
  const host = options.host ?? '127.0.0.1';
  await mkdir(dataDir, { recursive: true });
  const unlock = await lockDataDir(dataDir);
  let db: PGlite | undefined;
  let server: PGLiteSocketServer | undefined;
  try {
    db = await PGlite.create(join(dataDir, 'pgdata'));
    server = new PGLiteSocketServer({
      db,
      host,
      port: options.port ?? 0,
      maxConnections: EMBEDDED_MAX_CONNECTIONS,
    });
    await server.start();
  } catch (error) {
    await db?.close().catch(() => undefined);
    await unlock();
    throw error;
  }
  // getServerConn() reports the port the OS chose when we asked for 0.
  const port = Number(server.getServerConn().split(':').pop());
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let stopping: Promise<void> | undefined;
  const [runningDb, runningServer] = [db, server];
  return {
    connectionString: `postgresql://postgres@${urlHost}:${port}/postgres`,
    stop: () =>
      (stopping ??= (async () => {
        try {
          await runningServer.stop();
          // Closing flushes PGlite's files; without it the next start may replay or lose recent writes.
          await runningDb.close();
        } finally {
          await unlock();
        }
      })()),
  };
}
