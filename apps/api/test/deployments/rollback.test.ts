import type { Deployment, Gate, RollbackOptions } from '@flightdeck/contracts';
import { startFakePrometheus, type FakePrometheus } from '@flightdeck/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploy, getDeployment, setSandbox, waitForDeployment } from '../support/deployments.js';
import { sql } from '../support/sql.js';
import { stageIds, startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
let prometheus: FakePrometheus;
let stageOf: Record<string, string> = {};
let versions = 0;

beforeAll(async () => {
  app = await startTestApp({ env: { FLIGHTDECK_RUNNER_INTERVAL_MS: '100' } });
  prometheus = await startFakePrometheus();
  stageOf = await stageIds(app);
  await setSandbox(app, Object.values(stageOf));
});

afterAll(async () => {
  await app?.close();
  await prometheus?.close();
});

async function release(service: string): Promise<{ id: string; version: string }> {
  const version = `v5.${Date.now() % 100000}.${++versions}`;
  const response = await app.admin.post<{ id: string; version: string }>('/api/v1/releases', {
    service,
    version,
    commitSha: 'abcdef1234567',
  });
  expect(response.status).toBe(201);
  return response.body;
}

async function deployed(stageKey: string, releaseId: string): Promise<Deployment> {
  const response = await deploy(app, { stageId: stageOf[stageKey]!, releaseId });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  const done = await waitForDeployment(app, response.body.id);
  expect(done.status).toBe('succeeded');
  return done;
}

async function options(stageKey: string): Promise<RollbackOptions> {
  return (await app.get<RollbackOptions>(`/api/v1/stages/${stageOf[stageKey]}/rollback`)).body;
}

function rollback(
  stageKey: string,
  body: { releaseId?: string; reason: string },
  headers: Record<string, string> = {},
) {
  return app.admin.post<Deployment & { code?: string; message?: string; details?: { gates?: Gate[] } }>(
    `/api/v1/stages/${stageOf[stageKey]}/rollback`,
    body,
    { headers },
  );
}

describe('rollback', () => {
  it('defaults to the previous successful release by finish time, across redeploys and earlier rollbacks', async () => {
    const [r1, r2, r3] = [
      await release('catalog-search'),
      await release('catalog-search'),
      await release('catalog-search'),
    ];
    await deployed('catalog-search/dev', r1.id);
    await deployed('catalog-search/dev', r2.id);
    await deployed('catalog-search/dev', r1.id); // going back by hand: r1 finished after r2
    await deployed('catalog-search/dev', r3.id);
    await deployed('catalog-search/dev', r3.id); // a redeploy changes nothing
    const before = await options('catalog-search/dev');
    expect(before.current!.id).toBe(r3.id);
    expect(before.defaultTarget!.id).toBe(r1.id);
    expect(before.targets.slice(0, 2).map((target) => target.release.id)).toEqual([r1.id, r2.id]);
    expect(before.hold).toBeNull();

    const response = await rollback('catalog-search/dev', { reason: 'r3 breaks search' });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body).toMatchObject({
      kind: 'rollback',
      release: { id: r1.id },
      reason: 'r3 breaks search',
    });
    expect((await waitForDeployment(app, response.body.id)).status).toBe('succeeded');

    const after = await options('catalog-search/dev');
    expect(after.current!.id).toBe(r1.id);
    expect(after.hold).toMatchObject({ release: { id: r3.id }, reason: 'r3 breaks search' });
    // The held release is never the default, and cannot be promoted back while held.
    expect(after.defaultTarget!.id).toBe(r2.id);
    const again = await deploy(app, { stageId: stageOf['catalog-search/dev']!, releaseId: r3.id });
    expect(again.status).toBe(409);
    expect(
      (again.body.details as { gates: Gate[] }).gates.find((gate) => gate.kind === 'hold'),
    ).toMatchObject({
      state: 'fail',
      message: `${r3.version} was rolled back from dev and is held there: r3 breaks search`,
    });
    const board = await app.get<{
      rows: Array<{ cells: Record<string, { stageId: string; hold: { release: { id: string } } | null }> }>;
    }>('/api/v1/board');
    const cell = board.body.rows
      .flatMap((row) => Object.values(row.cells))
      .find((c) => c.stageId === stageOf['catalog-search/dev'])!;
    expect(cell.hold?.release.id).toBe(r3.id);

    const released = await app.admin.delete<{ hold: null }>(
      `/api/v1/stages/${stageOf['catalog-search/dev']}/hold`,
    );
    expect(released.status).toBe(200);
    expect((await options('catalog-search/dev')).hold).toBeNull();
    const audit = await sql(
      app.db.url,
      `SELECT action FROM audit_events WHERE target_id = $1 AND action = 'stage.hold_release'`,
      [stageOf['catalog-search/dev']],
    );
    expect(audit).toHaveLength(1);
  });

  it('gives one rollback for two clicks, and refuses what is not a rollback target', async () => {
    const [a, b] = [await release('fraud-scoring'), await release('fraud-scoring')];
    await deployed('fraud-scoring/dev', a.id);
    await deployed('fraud-scoring/dev', b.id);
    // Slow enough that the rollback is still on its way at the third click.
    await setSandbox(app, [stageOf['fraud-scoring/dev']!], { durationSeconds: 60 });
    const key = `rollback-${Date.now()}`;
    const [first, second] = await Promise.all([
      rollback('fraud-scoring/dev', { reason: 'double click' }, { 'idempotency-key': key }),
      rollback('fraud-scoring/dev', { reason: 'double click' }, { 'idempotency-key': key }),
    ]);
    expect(first.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    // Without a key, the second click finds the rollback on its way.
    const third = await rollback('fraud-scoring/dev', { reason: 'triple click' });
    expect(third.status, JSON.stringify(third.body)).toBe(409);
    expect(third.body.code).toBe('DEPLOYMENT_IN_PROGRESS');
    expect((await app.admin.post(`/api/v1/deployments/${first.body.id}/cancel`, {})).status).toBe(200);

    const never = await release('fraud-scoring');
    const refused = await rollback('fraud-scoring/dev', { releaseId: never.id, reason: 'not here' });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      code: 'NOT_A_ROLLBACK_TARGET',
      message: `${never.version} never succeeded on dev; a rollback goes back to a release that ran there`,
    });
    const noReason = await rollback('fraud-scoring/dev', { reason: '' });
    expect(noReason.status).toBe(400);
  });

  it('cancels the deployment in flight first and says so, then holds what it rolled back from', async () => {
    const [good, bad] = [await release('inventory-sync'), await release('inventory-sync')];
    await deployed('inventory-sync/dev', good.id);
    await setSandbox(app, [stageOf['inventory-sync/dev']!], { durationSeconds: 60 });
    const slow = await deploy(app, { stageId: stageOf['inventory-sync/dev']!, releaseId: bad.id });
    await waitForDeployment(app, slow.body.id, ['running']);
    await setSandbox(app, [stageOf['inventory-sync/dev']!], { durationSeconds: 0 });

    const view = await options('inventory-sync/dev');
    expect(view.active?.id).toBe(slow.body.id);
    expect(view.current!.id).toBe(bad.id);
    expect(view.defaultTarget!.id).toBe(good.id);
    const response = await rollback('inventory-sync/dev', { reason: 'abort the rollout' });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    const cancelled = await getDeployment(app, slow.body.id);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.events.at(-1)!.message).toBe(
      `Cancelled by a rollback to ${good.version} requested by admin@flightdeck.test`,
    );
    expect((await waitForDeployment(app, response.body.id)).status).toBe('succeeded');
    expect((await options('inventory-sync/dev')).hold?.release.id).toBe(bad.id);
  });

  it('lifts a hold once a newer release succeeds upstream', async () => {
    const [a, b] = [await release('payments-service'), await release('payments-service')];
    for (const r of [a, b]) {
      await deployed('payments-service/dev', r.id);
      await deployed('payments-service/staging', r.id);
    }
    const response = await rollback('payments-service/staging', { reason: 'b is slow' });
    expect((await waitForDeployment(app, response.body.id)).status).toBe('succeeded');
    expect((await options('payments-service/staging')).hold?.release.id).toBe(b.id);
    const c = await release('payments-service');
    await deployed('payments-service/dev', c.id);
    const deadline = Date.now() + 5_000;
    while ((await options('payments-service/staging')).hold && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect((await options('payments-service/staging')).hold).toBeNull();
    const [audit] = await sql(
      app.db.url,
      `SELECT actor_name, reason FROM audit_events WHERE target_id = $1 AND action = 'stage.hold_release'`,
      [stageOf['payments-service/staging']],
    );
    expect(audit).toEqual({
      actor_name: 'system',
      reason: `${c.version}, newer than the held ${b.version}, succeeded upstream`,
    });
  });

  it('auto-promotes a stage when every gate passes, and stops while the stage holds a release', async () => {
    const stage = stageOf['checkout-api/preview']!;
    const first = await release('checkout-api');
    await sql(app.db.url, 'UPDATE stages SET auto_promote = true WHERE id = $1', [stage]);
    const until = Date.now() + 10_000;
    let current: string | undefined;
    while (Date.now() < until && current !== first.id) {
      current = (await options('checkout-api/preview')).current?.id;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(current).toBe(first.id);
    const [auto] = await sql(
      app.db.url,
      `SELECT requested_by, reason FROM deployments WHERE stage_id = $1 AND release_id = $2`,
      [stage, first.id],
    );
    expect(auto).toEqual({
      requested_by: 'flightdeck (auto-promote)',
      reason: 'Auto-promotion: every gate passes',
    });

    const back = await rollback('checkout-api/preview', { reason: 'first is broken' });
    expect((await waitForDeployment(app, back.body.id)).status).toBe('succeeded');
    await release('checkout-api');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    // Held: the newer release waits for a person.
    expect((await options('checkout-api/preview')).current?.id).toBe(back.body.release.id);
    await sql(app.db.url, 'UPDATE stages SET auto_promote = false WHERE id = $1', [stage]);
  });

  it('goes through a freeze, which stops promotions', async () => {
    const [a, b] = [await release('web-storefront'), await release('web-storefront')];
    await deployed('web-storefront/preview', a.id);
    await deployed('web-storefront/preview', b.id);
    const freeze = await app.admin.post<{ id: string }>('/api/v1/freezes', {
      scope: 'service',
      service: 'web-storefront',
      reason: 'launch day',
      window: {
        kind: 'oneoff',
        startsAt: new Date(Date.now() - 60_000).toISOString(),
        endsAt: new Date(Date.now() + 3_600_000).toISOString(),
      },
    });
    const response = await rollback('web-storefront/preview', { reason: 'bad launch build' });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect((await waitForDeployment(app, response.body.id)).status).toBe('succeeded');
    await app.admin.delete(`/api/v1/freezes/${freeze.body.id}`);
  });
});

describe('verification', () => {
  async function verifyWith(stageKey: string, verification: Record<string, unknown>, autoRollback = false) {
    const response = await app.admin.put(`/api/v1/stages/${stageOf[stageKey]}/verification`, {
      verification,
      autoRollback,
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
  }

  it('succeeds when the checks pass through the window, and records them', async () => {
    const r = await release('identity-gateway');
    prometheus.setHealth(200);
    prometheus.setMetric('error_rate{service="identity-gateway"}', 0.01);
    await verifyWith('identity-gateway/dev', {
      windowSeconds: 2,
      intervalSeconds: 1,
      http: [{ name: 'health', url: prometheus.healthUrl }],
      metrics: [
        {
          name: 'error rate',
          prometheusUrl: prometheus.url,
          query: 'error_rate{service="identity-gateway"}',
          comparison: 'above',
          threshold: 0.05,
        },
      ],
    });
    const response = await deploy(app, { stageId: stageOf['identity-gateway/dev']!, releaseId: r.id });
    const done = await waitForDeployment(app, response.body.id);
    expect(done.status, done.error ?? '').toBe('succeeded');
    expect(done.verification).toMatchObject({ outcome: 'passed' });
    expect(done.verification!.checks.map((check) => [check.name, check.state])).toEqual([
      ['Driver health', 'passing'],
      ['health', 'passing'],
      ['error rate', 'passing'],
    ]);
    expect(done.events.at(-1)!.message).toBe('Verified: 3 checks passing through the 2 s window');
    expect(prometheus.queries.length).toBeGreaterThanOrEqual(2);
  });

  it('fails on a metric above its threshold, with the value in the reason', async () => {
    const r = await release('identity-gateway');
    prometheus.setMetric('error_rate{service="identity-gateway"}', 0.072);
    const done = await waitForDeployment(
      app,
      (await deploy(app, { stageId: stageOf['identity-gateway/dev']!, releaseId: r.id })).body.id,
    );
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/^Verification failed: error rate: 0\.072 above 0\.05 for 0 s$/);
  });

  it('rolls back by itself when verification fails, and the hold keeps the bad release out', async () => {
    const [good, bad] = [await release('notifications-worker'), await release('notifications-worker')];
    await deployed('notifications-worker/dev', good.id);
    await verifyWith(
      'notifications-worker/dev',
      {
        windowSeconds: 1,
        intervalSeconds: 1,
        http: [{ name: 'health', url: prometheus.healthUrl, failuresAllowed: 0 }],
      },
      true,
    );
    // Long enough for the test to see the failure and heal the service before the rollback verifies.
    await setSandbox(app, [stageOf['notifications-worker/dev']!], { durationSeconds: 4 });
    prometheus.setHealth(503);
    const response = await deploy(app, { stageId: stageOf['notifications-worker/dev']!, releaseId: bad.id });
    const failed = await waitForDeployment(app, response.body.id);
    prometheus.setHealth(200);
    expect(failed.status).toBe('failed');
    expect(failed.error).toBe(
      'Verification failed: health: answered 503, expected 200 (1 in a row, 0 allowed)',
    );
    // The rollback is requested right after the failure is recorded.
    let row: Record<string, unknown> | undefined;
    for (let i = 0; i < 50 && !row; i++) {
      [row] = await sql(
        app.db.url,
        `SELECT id FROM deployments WHERE stage_id = $1 AND kind = 'rollback' AND created_at > $2 LIMIT 1`,
        [stageOf['notifications-worker/dev'], failed.createdAt],
      );
      if (!row) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(row).toBeDefined();
    const note = (await getDeployment(app, response.body.id)).events.at(-1)!.message;
    expect(note).toBe(
      `Rolling back automatically to ${good.version} (deployment ${(row!.id as string).slice(0, 8)})`,
    );
    const auto = await waitForDeployment(app, row!.id as string);
    expect(auto).toMatchObject({
      status: 'succeeded',
      requestedBy: 'flightdeck (automatic rollback)',
      release: { id: good.id },
    });
    expect(auto.reason).toMatch(
      new RegExp(`^${bad.version.replace(/\./g, '\\.')} failed verification: health: answered 503`),
    );
    const blocked = await deploy(app, { stageId: stageOf['notifications-worker/dev']!, releaseId: bad.id });
    expect(blocked.status).toBe(409);
    expect(
      (blocked.body.details as { gates: Gate[] }).gates.find((gate) => gate.kind === 'hold')?.state,
    ).toBe('fail');
    await verifyWith('notifications-worker/dev', {}, false);
  });

  it('validates the settings and who may change them', async () => {
    const bad = await app.admin.put<{ code: string }>(
      `/api/v1/stages/${stageOf['checkout-api/dev']}/verification`,
      {
        verification: { http: [{ name: 'x', url: 'ftp://nope' }] },
      },
    );
    expect(bad.status).toBe(400);
    const duplicate = await app.admin.put<{ code: string }>(
      `/api/v1/stages/${stageOf['checkout-api/dev']}/verification`,
      {
        verification: {
          http: [
            { name: 'x', url: prometheus.healthUrl },
            { name: 'x', url: prometheus.healthUrl },
          ],
        },
      },
    );
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.code).toBe('DUPLICATE_CHECK_NAME');
    const viewer = await app.userWith('viewer');
    const denied = await viewer.put(`/api/v1/stages/${stageOf['checkout-api/dev']}/verification`, {
      verification: {},
    });
    expect(denied.status).toBe(403);
  });
});
