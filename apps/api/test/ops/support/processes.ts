import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '@flightdeck/test-kit';
import { afterAll, beforeAll } from 'vitest';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../../support/test-app.js';

const apiRoot = path.resolve(import.meta.dirname, '../../..');
const builtEntry = path.join(apiRoot, 'dist/main.js');

// The built entrypoint when it is newer than every source file of the api and the contracts (CI builds before testing: faster to
// start on a busy machine), else the source through tsx, so a test never runs stale code.
function entrypoint(): string[] {
  if (!existsSync(builtEntry)) return fromSource();
  const built = statSync(builtEntry).mtimeMs;
  const stale = [path.join(apiRoot, 'src'), path.join(apiRoot, '../../packages/contracts/src')].some((dir) =>
    readdirSync(dir, { recursive: true, encoding: 'utf8' }).some(
      (file) => statSync(path.join(dir, file)).mtimeMs > built,
    ),
  );
  return stale ? fromSource() : [builtEntry];
}

const fromSource = () => [
  '--import',
  'tsx',
  '--conditions=flightdeck-source',
  path.join(apiRoot, 'src/main.ts'),
];

export interface FlightdeckProcess {
  readonly child: ChildProcess;
  readonly url: string;
  // Everything the process wrote to stdout and stderr, line by line.
  readonly output: string[];
  readonly exited: Promise<number | null>;
  kill(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export const waitFor = async (
  what: string,
  condition: () => Promise<boolean> | boolean,
  timeoutMs = 30_000,
  everyMs = 100,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
};

// Real Flightdeck processes (the production entrypoint) that can be killed without warning, sharing a
// data directory and a secret key.
export class Fleet {
  readonly secretKey = randomBytes(32);
  private readonly dataDir = mkdtempSync(path.join(tmpdir(), 'flightdeck-ops-'));
  private readonly processes: FlightdeckProcess[] = [];

  constructor(private readonly databaseUrl: string) {}

  async start(env: Record<string, string> = {}): Promise<FlightdeckProcess> {
    const port = await freePort();
    const output: string[] = [];
    const child = spawn(process.execPath, entrypoint(), {
      cwd: apiRoot,
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_URL: this.databaseUrl,
        FLIGHTDECK_DATA_DIR: this.dataDir,
        FLIGHTDECK_SECRET_KEY: this.secretKey.toString('base64'),
        FLIGHTDECK_ADMIN_EMAIL: ADMIN_EMAIL,
        FLIGHTDECK_ADMIN_PASSWORD: ADMIN_PASSWORD,
        FLIGHTDECK_DEMO: 'true',
        FLIGHTDECK_MIGRATE_ON_START: 'false',
        FLIGHTDECK_RUNNER_INTERVAL_MS: '200',
        FLIGHTDECK_RUNNER_LEASE_SECONDS: '3',
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_LEVEL: 'warn',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (chunk: Buffer) => output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const url = `http://127.0.0.1:${port}`;
    const started: FlightdeckProcess = {
      child,
      url,
      output,
      exited,
      kill: async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        await exited;
      },
    };
    this.processes.push(started);
    await waitFor(
      'Flightdeck ready',
      async () => {
        if (child.exitCode !== null)
          throw new Error(`Flightdeck exited with ${child.exitCode}:\n${output.join('\n')}`);
        return fetch(`${url}/health/ready`).then(
          (response) => response.ok,
          () => false,
        );
      },
      60_000,
      250,
    );
    return started;
  }

  // Error lines of every process, for a failing test's report.
  errors(): string[] {
    return this.processes.flatMap((p) => p.output.filter((line) => line.includes('"level":50')));
  }

  async stop(): Promise<void> {
    await Promise.all(this.processes.map((p) => p.kill()));
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

// Lines a process logged that carry a stack trace: never expected, even while the database is away.
export const stackTraces = (output: readonly string[]): string[] =>
  output.filter((line) => /\bat .+:\d+:\d+\)?/.test(line) || line.includes('\\n    at '));

// A database and a fleet of processes on it for the test file, gone again afterwards.
export function fleetForFile(): { readonly db: TestDatabase; readonly fleet: Fleet } {
  const context = {} as { db: TestDatabase; fleet: Fleet };
  beforeAll(async () => {
    context.db = await createTestDatabase();
    context.fleet = new Fleet(context.db.url);
  });
  afterAll(async () => {
    await context.fleet?.stop();
    await context.db?.drop();
  });
  return context;
}
