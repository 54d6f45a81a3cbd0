// `tsx scripts/bench/request-cpu.ts [--reuse fd_bench_…] [--requests 3000] [--connections 32] [--cpu-prof DIR]
// [--main other/dist/main.js]`:
// the API's own CPU time per request (user + system of the API process, from /proc) for three cheap,
// cached reads: GET /api/v1/environments, the board (gzip, from the board cache) and the board revalidated
// with If-None-Match (304). Needs `pnpm build` first. Without --reuse it seeds a tiny database of its own
// and drops it at the end. --cpu-prof writes a V8 CPU profile of the API (node --cpu-prof) into DIR.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { apiEnv, BENCH_ADMIN_EMAIL, waitUntilReady } from './api.js';
import { createBenchDatabase, DEFAULT_SERVER_URL, existingDatabase } from './database.js';
import { seedBenchData } from './seed.js';
import { BENCH_SIZES } from './sizes.js';
import { createBenchToken } from './token.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    reuse: { type: 'string' },
    requests: { type: 'string', default: '3000' },
    connections: { type: 'string', default: '32' },
    'cpu-prof': { type: 'string' },
    // Another build of the server to measure (e.g. one made from an older commit), for before/after.
    main: { type: 'string' },
  },
});
const requests = Number(values.requests);
const connections = Number(values.connections);
const serverUrl = process.env['BENCH_DATABASE_URL'] ?? process.env['TEST_DATABASE_URL'] ?? DEFAULT_SERVER_URL;
const main = values.main ? path.resolve(values.main) : path.join(repoRoot, 'apps/api/dist/main.js');
if (!existsSync(main)) throw new Error(`${main} is missing: run \`pnpm build\` first`);

// CPU seconds (user + system) the process has used so far; /proc counts in clock ticks.
const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
function cpuMs(pid: number): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at the state, field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ms = (ticks: string | undefined) => (Number(ticks) / ticksPerSecond) * 1000;
  return { user: ms(fields[11]), system: ms(fields[12]) };
}
const total = (cpu: { user: number; system: number }) => cpu.user + cpu.system;

async function load(url: string, token: string, headers: Record<string, string>, amount: number) {
  const statuses: Record<string, number> = {};
  await new Promise<void>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections,
        duration: 600,
        amount,
        headers: { authorization: `Bearer ${token}`, ...headers },
      } as never,
      (error) => (error ? reject(error) : resolve()),
    );
    instance.on('response', (_client, status) => {
      statuses[status] = (statuses[status] ?? 0) + 1;
    });
  });
  return statuses;
}

const database = values.reuse
  ? existingDatabase(serverUrl, values.reuse)
  : await createBenchDatabase(serverUrl);
const dataDir = mkdtempSync(path.join(tmpdir(), 'flightdeck-request-cpu-'));
try {
  if (!values.reuse) {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await seedBenchData(client, BENCH_SIZES['tiny']!, () => {});
    } finally {
      await client.end();
    }
  }
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const profile = values['cpu-prof']
    ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(values['cpu-prof'])}`]
    : [];
  const child = spawn(process.execPath, [...profile, main], {
    // The runner's ticks are background work, not the cost of a request.
    env: {
      ...process.env,
      ...apiEnv(database.url, path.join(repoRoot, 'apps/web/dist')),
      FLIGHTDECK_RUNNER: 'false',
      PORT: String(port),
      FLIGHTDECK_DATA_DIR: dataDir,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  try {
    // A busy machine can take a while to start the API.
    await waitUntilReady(url, 180_000);
    const token = await createBenchToken(database.url, BENCH_ADMIN_EMAIL);
    const first = await fetch(`${url}/api/v1/board`, {
      headers: { authorization: `Bearer ${token}`, 'accept-encoding': 'gzip' },
    });
    await first.arrayBuffer();
    const etag = first.headers.get('etag') ?? '';
    const cases: Array<[string, string, Record<string, string>]> = [
      ['GET /api/v1/environments', '/api/v1/environments', {}],
      ['GET /api/v1/board (gzip, cached)', '/api/v1/board', { 'accept-encoding': 'gzip' }],
      [
        'GET /api/v1/board If-None-Match (304)',
        '/api/v1/board',
        { 'accept-encoding': 'gzip', 'if-none-match': etag },
      ],
    ];
    // What the idle process burns (timers, pool keep-alive) is not charged to requests.
    const idleStart = total(cpuMs(child.pid!));
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const idlePerMs = (total(cpuMs(child.pid!)) - idleStart) / 3000;
    console.log(
      `request-cpu: ${requests} requests each, ${connections} connections, idle ${(idlePerMs * 1000).toFixed(1)} ms CPU/s`,
    );
    for (const [name, route, headers] of cases) {
      // Warm-up: JIT, pool connections, caches.
      await load(`${url}${route}`, token, headers, 500);
      const before = cpuMs(child.pid!);
      const started = performance.now();
      const statuses = await load(`${url}${route}`, token, headers, requests);
      const wallMs = performance.now() - started;
      const after = cpuMs(child.pid!);
      const used = total(after) - total(before) - idlePerMs * wallMs;
      const system = (after.system - before.system) / requests;
      console.log(
        `${name.padEnd(40)} ${(used / requests).toFixed(2)} ms CPU/request (${system.toFixed(2)} in the kernel), ` +
          `${Math.round((requests / wallMs) * 1000)} req/s, ${JSON.stringify(statuses)}`,
      );
    }
  } finally {
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
  if (!values.reuse) await database.drop();
}
// The wasm schema engine leaves a timer behind; nothing else is pending.
process.exit(0);
