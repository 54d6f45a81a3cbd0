import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '@flightdeck/test-kit';
import { afterAll, describe, expect, it } from 'vitest';
import type { ApiStarter } from '../../../../scripts/bench/api.js';
import { END, renderMarkdown, START } from '../../../../scripts/bench/report.js';
import { runBench } from '../../../../scripts/bench/run.js';
import { BENCH_SIZES } from '../../../../scripts/bench/sizes.js';
import { loadConfig } from '../../src/config/config.js';
import { startServer } from '../../src/server.js';
import { memoryLogger } from '../support/test-app.js';

// The app in this process, on the bench database (`pnpm bench` runs the built one in a process of its own).
const inProcess: ApiStarter = async (env) => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'flightdeck-bench-smoke-'));
  const server = await startServer(
    loadConfig({ ...env, PORT: '0', FLIGHTDECK_DATA_DIR: dataDir }),
    memoryLogger([]),
  );
  return {
    url: server.url,
    async close() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};

// The harness end to end at a tiny size: it seeds, loads every endpoint, measures the floor and writes a
// well-formed result. What it measures here means nothing; no timing is asserted.
describe('pnpm bench at a tiny size', () => {
  let db: TestDatabase | undefined;
  afterAll(async () => {
    await db?.drop();
  });

  it('seeds consistent data, loads every endpoint with valid requests and writes its table', async () => {
    db = await createTestDatabase();
    const result = await runBench({
      size: { ...BENCH_SIZES.tiny!, durationSeconds: 1 },
      databaseUrl: db.url,
      startApi: inProcess,
      webDist: path.join(tmpdir(), 'no-web-dist'),
      command: 'pnpm bench -- --size tiny',
      connections: 4,
      warmupSeconds: 0,
      browser: false,
    });

    expect(result.data).toEqual({
      services: 20,
      stages: 100,
      releases: 200,
      deployments: 2000,
      auditEvents: 2000,
    });
    expect(result.endpoints.map((e) => e.name)).toEqual([
      'board',
      'board-revalidate',
      'board-page',
      'board-page-random',
      'service-page',
      'approvals-inbox',
      'deployment-create',
      'board-1',
      'board-cold',
    ]);
    for (const endpoint of result.endpoints) {
      // Every request the bench makes is valid for the seeded data: no 5xx, and no 4xx except that two
      // concurrent creates for one stage may meet, where the product answers 409 DEPLOYMENT_IN_PROGRESS.
      const allowed = endpoint.name === 'deployment-create' ? [409] : [];
      for (const status of Object.keys(endpoint.statuses).map(Number))
        if (!allowed.includes(status)) expect(status, endpoint.name).toBeLessThan(400);
      expect(endpoint.latency.p50).toBeLessThanOrEqual(endpoint.latency.p99);
    }
    expect(result.floor.latency.samples).toBeGreaterThan(0);
    expect(result.floorOneClient.latency.samples).toBeGreaterThan(0);
    expect(result.machine.cores).toBeGreaterThan(0);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);

    const markdown = renderMarkdown(
      result,
      `# Benchmarks\n\nA note.\n\n${START}\nold\n${END}\n\nMore notes.\n`,
    );
    expect(markdown).toContain('A note.');
    expect(markdown).toContain('More notes.');
    expect(markdown).not.toContain('\nold\n');
    expect(markdown).toContain('| GET /api/v1/board');
    expect(markdown).toContain('| GET /api/v1/board?limit=50 (first page), gzip accepted |');
    expect(markdown).toContain('**SQL floor**');
  }, 60_000);
});
