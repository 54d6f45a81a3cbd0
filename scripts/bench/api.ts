import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const BENCH_ADMIN_EMAIL = 'bench-admin@flightdeck.test';
export const BENCH_ADMIN_PASSWORD = 'bench admin password';

export interface RunningApi {
  url: string;
  close(): Promise<void>;
}

// Starts an API on the bench database: `env` is what it reads from its environment.
export type ApiStarter = (env: Record<string, string>) => Promise<RunningApi>;

export function apiEnv(databaseUrl: string, webDist: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    HOST: '127.0.0.1',
    FLIGHTDECK_MIGRATE_ON_START: 'false',
    FLIGHTDECK_DEMO: 'false',
    FLIGHTDECK_ADMIN_EMAIL: BENCH_ADMIN_EMAIL,
    FLIGHTDECK_ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD,
    FLIGHTDECK_WEB_DIST: webDist,
    FLIGHTDECK_RUNNER: 'true',
    // Request logs to a pipe nobody reads would measure the pipe; warnings and errors still show.
    LOG_LEVEL: 'warn',
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export async function waitUntilReady(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(`${url}/health/ready`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`the API at ${url} did not become ready in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

// The built server (`apps/api/dist/main.js` unless told) in a process of its own, as in production.
export function builtApiStarter(
  repoRoot: string,
  main = path.join(repoRoot, 'apps/api/dist/main.js'),
): ApiStarter {
  return async (env) => {
    if (!existsSync(main)) throw new Error(`${main} is missing: run \`pnpm build\` first`);
    const port = await freePort();
    const dataDir = mkdtempSync(path.join(tmpdir(), 'flightdeck-bench-'));
    const child = spawn(process.execPath, [main], {
      env: { ...process.env, ...env, PORT: String(port), FLIGHTDECK_DATA_DIR: dataDir },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const url = `http://127.0.0.1:${port}`;
    try {
      await Promise.race([
        waitUntilReady(url),
        exited.then(() => {
          throw new Error('the API exited while starting');
        }),
      ]);
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
    return {
      url,
      async close() {
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  };
}
