import { cpus, totalmem } from 'node:os';
import pg from 'pg';
import { apiEnv, BENCH_ADMIN_EMAIL, BENCH_ADMIN_PASSWORD, type ApiStarter } from './api.js';
import { measureColdBoard } from './board-cold.js';
import { measureBrowser, type BrowserResult } from './browser.js';
import { serverFacts } from './database.js';
import { measureFloor, type FloorResult } from './floor.js';
import { drain, runScenario, scenarios, type LoadResult } from './load.js';
import { seedBenchData, type SeedTimings } from './seed.js';
import { totals, type BenchSize } from './sizes.js';
import { createBenchToken } from './token.js';

export interface BenchResult {
  startedAt: string;
  command: string;
  size: BenchSize;
  data: ReturnType<typeof totals>;
  machine: {
    cpu: string;
    cores: number;
    memoryGiB: number;
    node: string;
    postgres: string;
    platform: string;
  };
  // Null when the run reused a database seeded by an earlier run (`--reuse`).
  seedMs: SeedTimings | null;
  connections: number;
  endpoints: LoadResult[];
  floor: FloorResult;
  floorOneClient: FloorResult;
  // Flightdeck's board latency over the floor's, at the same concurrency (and with one client).
  boardOverFloor: { p50: number; p95: number; p99: number };
  boardOverFloorOneClient: { p50: number; p95: number };
  // The board rebuilt after a change (one client) over the floor with one client: the cost without the cache.
  boardColdOverFloorOneClient: { p50: number; p95: number };
  browser: BrowserResult | { skipped: string } | null;
}

export interface RunBenchOptions {
  size: BenchSize;
  databaseUrl: string;
  startApi: ApiStarter;
  webDist: string;
  command: string;
  // False: the database was seeded at this size by an earlier run.
  seed?: boolean;
  connections?: number;
  // Unmeasured load before each endpoint's run (JIT, pools, plan caches); 1 s unless set.
  warmupSeconds?: number;
  browser?: boolean;
  log?: (line: string) => void;
}

const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 100) / 100 : 0);

// Seeds the (empty, migrated) database, starts the API on it, and measures.
export async function runBench(options: RunBenchOptions): Promise<BenchResult> {
  const log = options.log ?? (() => {});
  const connections = options.connections ?? 32;
  const startedAt = new Date().toISOString();
  let seedMs: SeedTimings | null = null;
  if (options.seed !== false) {
    const client = new pg.Client({ connectionString: options.databaseUrl });
    await client.connect();
    try {
      seedMs = await seedBenchData(client, options.size, log);
    } finally {
      await client.end();
    }
  }

  const api = await options.startApi(apiEnv(options.databaseUrl, options.webDist));
  try {
    log(`api: ${api.url}`);
    const token = await createBenchToken(options.databaseUrl, BENCH_ADMIN_EMAIL);
    const endpoints: LoadResult[] = [];
    for (const scenario of scenarios(options.size)) {
      await scenario.prepare?.(api.url, token);
      const warmup = options.warmupSeconds ?? 1;
      if (warmup > 0)
        await runScenario(scenario, { url: api.url, token, connections, durationSeconds: warmup });
      const result = await runScenario(scenario, {
        url: api.url,
        token,
        connections,
        durationSeconds: options.size.durationSeconds,
      });
      log(
        `load: ${result.name} p50 ${result.latency.p50} ms, p95 ${result.latency.p95} ms, ` +
          `p99 ${result.latency.p99} ms, ${result.requestsPerSecond} req/s, ${JSON.stringify(result.statuses)}`,
      );
      endpoints.push(result);
      await drain(api.url, token);
    }
    // One client at a time: the cost of one board, without queueing.
    const [boardScenario] = scenarios(options.size);
    const single = await runScenario(boardScenario!, {
      url: api.url,
      token,
      connections: 1,
      durationSeconds: options.size.durationSeconds,
    });
    single.name = 'board-1';
    single.description = 'GET /api/v1/board, one client';
    endpoints.push(single);
    log(`load: board, one client: p50 ${single.latency.p50} ms, p95 ${single.latency.p95} ms`);
    const cold = await measureColdBoard({
      url: api.url,
      token,
      databaseUrl: options.databaseUrl,
      rounds: Math.min(5, Math.max(2, options.size.durationSeconds)),
    });
    endpoints.push(cold);
    log(`load: board after a change, one client: p50 ${cold.latency.p50} ms, p95 ${cold.latency.p95} ms`);
    const floorSingle = await measureFloor(options.databaseUrl, 1, options.size.durationSeconds);
    log(`floor, one client: p50 ${floorSingle.latency.p50} ms, p95 ${floorSingle.latency.p95} ms`);
    await drain(api.url, token);
    const floor = await measureFloor(options.databaseUrl, connections, options.size.durationSeconds);
    log(
      `floor: p50 ${floor.latency.p50} ms, p95 ${floor.latency.p95} ms, ${floor.requestsPerSecond.toFixed(1)} q/s`,
    );
    const board = endpoints.find((e) => e.name === 'board')!;
    const browser =
      options.browser === false
        ? null
        : await measureBrowser({
            url: api.url,
            email: BENCH_ADMIN_EMAIL,
            password: BENCH_ADMIN_PASSWORD,
            webDist: options.webDist,
          }).catch((error: unknown) => ({ skipped: `failed: ${String(error).split('\n')[0]}` }));
    if (browser) log(`browser: ${JSON.stringify(browser)}`);
    const cpuList = cpus();
    return {
      startedAt,
      command: options.command,
      size: options.size,
      data: totals(options.size),
      machine: {
        cpu: cpuList[0]?.model ?? 'unknown',
        cores: cpuList.length,
        memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
        node: process.version,
        postgres: (await serverFacts(options.databaseUrl)).version,
        platform: `${process.platform} ${process.arch}`,
      },
      seedMs,
      connections,
      endpoints,
      floor,
      floorOneClient: floorSingle,
      boardOverFloorOneClient: {
        p50: ratio(single.latency.p50, floorSingle.latency.p50),
        p95: ratio(single.latency.p95, floorSingle.latency.p95),
      },
      boardColdOverFloorOneClient: {
        p50: ratio(cold.latency.p50, floorSingle.latency.p50),
        p95: ratio(cold.latency.p95, floorSingle.latency.p95),
      },
      boardOverFloor: {
        p50: ratio(board.latency.p50, floor.latency.p50),
        p95: ratio(board.latency.p95, floor.latency.p95),
        p99: ratio(board.latency.p99, floor.latency.p99),
      },
      browser,
    };
  } finally {
    await api.close();
  }
}
