import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isTerminal, type Deployment, type DeploymentStatus } from '@flightdeck/contracts';
import { createTestDatabase, type TestDatabase } from '@flightdeck/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../support/http-client.js';
import { sql } from '../support/sql.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../support/test-app.js';

const apiRoot = path.resolve(import.meta.dirname, '../..');
const IN_FLIGHT = 20;

let db: TestDatabase;
let dataDir: string;
const children: ChildProcess[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

// The real entrypoint in its own process, so it can be killed without warning.
async function startProcess(): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=flightdeck-source', path.join(apiRoot, 'src/main.ts')],
    {
      cwd: apiRoot,
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_URL: db.url,
        FLIGHTDECK_DATA_DIR: dataDir,
        FLIGHTDECK_ADMIN_EMAIL: ADMIN_EMAIL,
        FLIGHTDECK_ADMIN_PASSWORD: ADMIN_PASSWORD,
        FLIGHTDECK_DEMO: 'true',
        FLIGHTDECK_MIGRATE_ON_START: 'false',
        FLIGHTDECK_RUNNER_INTERVAL_MS: '200',
        FLIGHTDECK_RUNNER_LEASE_SECONDS: '3',
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_LEVEL: 'warn',
      },
      stdio: 'ignore',
    },
  );
  children.push(child);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Flightdeck exited with ${child.exitCode}`);
    const ready = await fetch(`${url}/health/ready`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return { child, url };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('Flightdeck did not become ready');
}

async function statuses(ids: readonly string[]): Promise<DeploymentStatus[]> {
  const rows = await sql(db.url, 'SELECT status FROM deployments WHERE id = ANY($1::uuid[])', [ids]);
  return rows.map((row) => row.status as DeploymentStatus);
}

beforeAll(async () => {
  db = await createTestDatabase();
  dataDir = mkdtempSync(path.join(tmpdir(), 'flightdeck-recovery-'));
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
  await db?.drop();
});

describe('a process killed mid-deployment', () => {
  it('leaves 20 in-flight sandbox deployments that a restarted process brings to a terminal state', async () => {
    const first = await startProcess();
    const client = new HttpClient(first.url);
    await client.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
    const stages = await sql(
      db.url,
      `SELECT stage_id, current_release_id FROM stage_states
       WHERE current_release_id IS NOT NULL AND locked_by IS NULL ORDER BY stage_id LIMIT ${IN_FLIGHT}`,
    );
    expect(stages).toHaveLength(IN_FLIGHT);
    await sql(
      db.url,
      `UPDATE stages SET driver_config = '{"durationSeconds": 6, "failureRate": 0, "health": "healthy"}'
       WHERE id = ANY($1::uuid[])`,
      [stages.map((stage) => stage.stage_id)],
    );
    const ids: string[] = [];
    for (const stage of stages) {
      const response = await client.post<Deployment>('/api/v1/deployments', {
        stageId: stage.stage_id,
        releaseId: stage.current_release_id,
        reason: 'recovery drill',
      });
      expect(response.status, JSON.stringify(response.body)).toBe(201);
      ids.push(response.body.id);
    }
    // Wait until the first process is driving them, then kill it without a chance to clean up.
    const started = Date.now();
    while (Date.now() - started < 20_000) {
      if ((await statuses(ids)).filter((status) => status === 'running').length >= IN_FLIGHT / 2) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    const atKill = await statuses(ids);
    expect(atKill.filter((status) => !isTerminal(status)).length).toBeGreaterThanOrEqual(IN_FLIGHT / 2);

    await startProcess();
    const deadline = Date.now() + 60_000;
    let now = atKill;
    while (Date.now() < deadline) {
      now = await statuses(ids);
      if (now.every(isTerminal)) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(now.every(isTerminal), now.join(',')).toBe(true);
    expect(new Set(now)).toEqual(new Set(['succeeded']));
    // Each was started once: the restarted runner resumed the rollout instead of beginning another.
    const starts = await sql(
      db.url,
      `SELECT deployment_id, count(*)::int AS starts FROM deployment_events
       WHERE deployment_id = ANY($1::uuid[]) AND from_status = 'queued' AND to_status = 'running'
       GROUP BY deployment_id`,
      [ids],
    );
    expect(starts.map((row) => row.starts)).toEqual(Array.from({ length: IN_FLIGHT }, () => 1));
  }, 150_000);
});
