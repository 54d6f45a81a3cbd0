import { gunzipSync } from 'node:zlib';
import { type Board, boardSchema } from '@flightdeck/contracts';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { PG_LISTENER_NAME } from '../../src/database/pg-listener.js';
import { sql } from '../support/sql.js';
import type { TestApp } from '../support/test-app.js';
import { builds, rawGet, useReplicas } from './board-http.js';

let a: TestApp;
let b: TestApp;
useReplicas((replicas) => ({ a, b } = replicas));

const db = (query: string, values: unknown[] = []) => sql(a.db.url, query, values);

async function board(app: TestApp): Promise<{ board: Board; etag: string }> {
  const response = await app.get('/api/v1/board');
  expect(response.status).toBe(200);
  return { board: boardSchema.parse(response.body), etag: response.headers.get('etag') ?? '' };
}

async function cell(app: TestApp, service: string, environment: string) {
  const { board: read } = await board(app);
  const env = read.environments.find((e) => e.slug === environment)!;
  return read.rows.find((r) => r.service.slug === service)!.cells[env.id]!;
}

async function stageId(service: string, environment: string): Promise<string> {
  const [row] = await db(
    `SELECT s.id FROM stages s JOIN services sv ON sv.id = s.service_id
     JOIN environments e ON e.id = s.environment_id WHERE sv.slug = $1 AND e.slug = $2`,
    [service, environment],
  );
  return row!['id'] as string;
}

async function discarded(app: TestApp): Promise<number> {
  const text = (await app.get<string>('/metrics')).body;
  return Number(/^flightdeck_board_builds_total\{outcome="discarded"\} (\d+)/m.exec(text)?.[1] ?? 0);
}

// Resolves once the wall clock has passed `time` (a freeze boundary): the board must change then
// without any write.
const clockPast = (time: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, time - Date.now() + 50)));

// Polls the database (not the app) until a condition about its sessions holds.
async function until(query: string, values: unknown[], what: string): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt += 1) {
    if ((await sql(a.db.url, query, values)).length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`not reached: ${what}`);
}

describe('board revalidation and compression', () => {
  it('answers with a validator, lets clients revalidate with If-None-Match, and changes it on a change', async () => {
    const first = await a.get('/api/v1/board');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"[\w-]+"$/);
    expect(first.headers.get('cache-control')).toContain('no-cache');

    const unchanged = await rawGet(a, '/api/v1/board', { 'if-none-match': etag });
    expect(unchanged.status).toBe(304);
    expect(unchanged.body.length).toBe(0);

    // The other replica built the same board: same validator, so a client moving between them
    // keeps revalidating.
    expect((await rawGet(b, '/api/v1/board', { 'if-none-match': etag })).status).toBe(304);

    const stage = await stageId('checkout-api', 'staging');
    await a.admin.put(`/api/v1/stages/${stage}/lock`, { reason: 'etag test' });
    try {
      const changed = await rawGet(b, '/api/v1/board', { 'if-none-match': etag });
      expect(changed.status).toBe(200);
      expect(changed.headers['etag']).not.toBe(etag);
    } finally {
      await a.admin.delete(`/api/v1/stages/${stage}/lock`);
    }
  });

  it('gzips the body for clients that accept it, and sends the same JSON to those that do not', async () => {
    const zipped = await rawGet(a, '/api/v1/board', { 'accept-encoding': 'gzip, deflate, br' });
    expect(zipped.status).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['vary']).toContain('Accept-Encoding');
    const plain = await rawGet(a, '/api/v1/board', {});
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['content-type']).toContain('application/json');
    expect(zipped.body.length).toBeLessThan(plain.body.length);
    expect(JSON.parse(gunzipSync(zipped.body).toString('utf8'))).toEqual(JSON.parse(plain.body.toString()));
    expect(boardSchema.parse(JSON.parse(plain.body.toString())).rows.length).toBeGreaterThan(0);
  });

  it('filters by team or name without the cache, with the same shape', async () => {
    const filtered = await a.get<Board>('/api/v1/board?q=checkout');
    expect(filtered.status).toBe(200);
    const parsed = boardSchema.parse(filtered.body);
    expect(parsed.rows.length).toBeGreaterThan(0);
    expect(parsed.rows.every((row) => /checkout/i.test(row.service.slug + row.service.name))).toBe(true);
    expect((await a.get('/api/v1/board?team=' + 'x'.repeat(65))).status).toBe(400);
  });
});

describe('a change is on the next board read of every replica, whichever replica or path made it', () => {
  it('a lock taken through replica A', async () => {
    const stage = await stageId('checkout-api', 'production');
    expect((await cell(b, 'checkout-api', 'production')).lock).toBeNull();
    expect((await a.admin.put(`/api/v1/stages/${stage}/lock`, { reason: 'cache test' })).status).toBe(200);
    expect((await cell(b, 'checkout-api', 'production')).lock).toMatchObject({ reason: 'cache test' });
    expect((await b.admin.delete(`/api/v1/stages/${stage}/lock`)).status).toBe(200);
    expect((await cell(a, 'checkout-api', 'production')).lock).toBeNull();
  });

  it("a deployment's status and a release's version", async () => {
    const before = await cell(b, 'checkout-api', 'staging');
    const deployment = before.lastDeployment!;
    expect(deployment).not.toBeNull();
    const status = deployment.status === 'failed' ? 'succeeded' : 'failed';
    await db(`UPDATE deployments SET status = $2 WHERE id = $1`, [deployment.id, status]);
    expect((await cell(b, 'checkout-api', 'staging')).lastDeployment?.status).toBe(status);
    await db(`UPDATE releases SET version = $2 WHERE id = $1`, [deployment.release.id, 'v-renamed']);
    expect((await cell(a, 'checkout-api', 'staging')).lastDeployment?.release.version).toBe('v-renamed');
  });

  it('a hold set and health written on the stage state', async () => {
    const stage = await stageId('checkout-api', 'dev');
    await db(
      `UPDATE stage_states SET hold_release_id = current_release_id, hold_reason = 'held by test' WHERE stage_id = $1`,
      [stage],
    );
    expect((await cell(b, 'checkout-api', 'dev')).hold).toMatchObject({ reason: 'held by test' });
    await db(`UPDATE stage_states SET health = 'degraded', health_message = 'slow' WHERE stage_id = $1`, [
      stage,
    ]);
    expect(await cell(a, 'checkout-api', 'dev')).toMatchObject({ health: 'degraded', healthMessage: 'slow' });
  });

  it('a service renamed and its team renamed', async () => {
    const renamed = await a.admin.patch('/api/v1/services/checkout-api', { name: 'Checkout (renamed)' });
    expect(renamed.status).toBe(200);
    const { board: afterRename } = await board(b);
    const row = afterRename.rows.find((r) => r.service.slug === 'checkout-api')!;
    expect(row.service.name).toBe('Checkout (renamed)');
    const team = row.service.team;
    expect(team).not.toBeNull();
    await db(`UPDATE teams SET slug = $2 WHERE slug = $1`, [team, `${team}-renamed`]);
    const { board: afterTeam } = await board(a);
    expect(afterTeam.rows.find((r) => r.service.slug === 'checkout-api')!.service.team).toBe(
      `${team}-renamed`,
    );
  });

  it('an environment and a stage added, then an upstream edge that makes a release wait', async () => {
    const [env] = await db(
      `INSERT INTO environments (id, slug, name, position, tier, updated_at)
       VALUES (gen_random_uuid(), 'board-test', 'Board test', 900, 'staging', now()) RETURNING id`,
    );
    expect((await board(b)).board.environments.map((e) => e.slug)).toContain('board-test');
    const [service] = await db(`SELECT id FROM services WHERE slug = 'checkout-api'`);
    const [stage] = await db(
      `INSERT INTO stages (id, service_id, environment_id, driver_kind, updated_at)
       VALUES (gen_random_uuid(), $1, $2, 'sandbox', now()) RETURNING id`,
      [service!['id'], env!['id']],
    );
    const added = await cell(a, 'checkout-api', 'board-test');
    expect(added).toMatchObject({ stageId: stage!['id'], waiting: null });
    const upstream = await cell(a, 'checkout-api', 'dev');
    expect(upstream.current).not.toBeNull();
    await db(`INSERT INTO stage_upstreams (stage_id, upstream_stage_id) VALUES ($1, $2)`, [
      stage!['id'],
      upstream.stageId,
    ]);
    expect((await cell(b, 'checkout-api', 'board-test')).waiting?.id).toBe(upstream.current!.id);
  });

  it('a freeze created and removed through the API', async () => {
    const created = await a.admin.post<{ id: string }>('/api/v1/freezes', {
      scope: 'environment',
      environment: 'preview',
      reason: 'cache freeze',
      window: {
        kind: 'oneoff',
        startsAt: new Date(Date.now() - 60_000).toISOString(),
        endsAt: new Date(Date.now() + 3_600_000).toISOString(),
      },
    });
    expect(created.status).toBe(201);
    expect((await cell(b, 'checkout-api', 'preview')).freeze).toMatchObject({ reason: 'cache freeze' });
    expect((await b.admin.delete(`/api/v1/freezes/${created.body.id}`)).status).toBe(200);
    expect((await cell(a, 'checkout-api', 'preview')).freeze ?? null).toBeNull();
  });

  it('a freeze window opening and closing, with no write at either moment', async () => {
    const startsAt = Date.now() + 2_000;
    const endsAt = startsAt + 2_000;
    const created = await a.admin.post<{ id: string }>('/api/v1/freezes', {
      scope: 'environment',
      environment: 'preview',
      reason: 'boundary freeze',
      window: {
        kind: 'oneoff',
        startsAt: new Date(startsAt).toISOString(),
        endsAt: new Date(endsAt).toISOString(),
      },
    });
    expect(created.status).toBe(201);
    try {
      // Both replicas cache a board with no freeze open...
      expect((await cell(a, 'checkout-api', 'preview')).freeze ?? null).toBeNull();
      expect((await cell(b, 'checkout-api', 'preview')).freeze ?? null).toBeNull();
      await clockPast(startsAt);
      // ...and rebuild it when the window opens...
      expect((await cell(a, 'checkout-api', 'preview')).freeze).toMatchObject({ reason: 'boundary freeze' });
      expect((await cell(b, 'checkout-api', 'preview')).freeze).toMatchObject({ reason: 'boundary freeze' });
      await clockPast(endsAt);
      // ...and when it closes.
      expect((await cell(a, 'checkout-api', 'preview')).freeze ?? null).toBeNull();
      expect((await cell(b, 'checkout-api', 'preview')).freeze ?? null).toBeNull();
    } finally {
      await a.admin.delete(`/api/v1/freezes/${created.body.id}`);
    }
  });
});

describe('building the board', () => {
  it('builds once for many concurrent requests', async () => {
    await db(`UPDATE services SET name = name || '.' WHERE slug = 'payments-service'`);
    const before = await builds(a);
    const responses = await Promise.all(Array.from({ length: 16 }, () => a.get('/api/v1/board')));
    expect(responses.map((r) => r.status)).toEqual(Array(16).fill(200));
    expect(new Set(responses.map((r) => r.headers.get('etag'))).size).toBe(1);
    expect(await builds(a)).toBe(before + 1);
    // Served from the cache until the next change.
    await a.get('/api/v1/board');
    expect(await builds(a)).toBe(before + 1);
  });

  it('never keeps a board that a write committed during its build made stale', async () => {
    await db(`UPDATE services SET name = 'Before race' WHERE slug = 'payments-service'`);
    const discardedBefore = await discarded(a);
    // Hold the build after it has read services: its freeze reads wait for this lock.
    const blocker = new pg.Client(a.db.url);
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE freezes IN ACCESS EXCLUSIVE MODE');
      const [{ now }] = (await blocker.query<{ now: Date }>('SELECT clock_timestamp() AS now')).rows as [
        { now: Date },
      ];
      const racing = a.get<Board>('/api/v1/board');
      // The services statement of this build has finished (its snapshot has the old name)...
      await until(
        `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle'
           AND query LIKE '%CROSS JOIN LATERAL%' AND query_start > $1`,
        [now],
        'the board statement of the racing build',
      );
      // ...when a write commits.
      await db(`UPDATE services SET name = 'After race' WHERE slug = 'payments-service'`);
      await blocker.query('ROLLBACK');
      const raced = boardSchema.parse((await racing).body);
      expect(raced.rows.find((r) => r.service.slug === 'payments-service')!.service.name).toBe('Before race');
    } finally {
      await blocker.end();
    }
    expect(await discarded(a)).toBe(discardedBefore + 1);
    const { board: next } = await board(a);
    expect(next.rows.find((r) => r.service.slug === 'payments-service')!.service.name).toBe('After race');
  });

  it('forgets everything when its listener reconnects (notifications in the gap are lost)', async () => {
    await board(a);
    await db(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`, [
      PG_LISTENER_NAME,
    ]);
    // Written while no replica listens: no notification reaches anyone.
    await db(`UPDATE services SET name = 'Written in the gap' WHERE slug = 'payments-service'`);
    const { board: read } = await board(a);
    expect(read.rows.find((r) => r.service.slug === 'payments-service')!.service.name).toBe(
      'Written in the gap',
    );
    await until(
      `SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()`,
      [PG_LISTENER_NAME],
      'the listener back',
    );
    const { board: again } = await board(b);
    expect(again.rows.find((r) => r.service.slug === 'payments-service')!.service.name).toBe(
      'Written in the gap',
    );
  });
});
