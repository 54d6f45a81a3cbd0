import { randomUUID } from 'node:crypto';
import { deliveryMetricsSchema, type DeliveryMetrics } from '@flightdeck/contracts';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';

// A scripted history with figures worked out by hand. No demo data: the default scope (every
// production-tier environment) then holds exactly what is written here.
let app: TestApp;

const id = {
  payments: randomUUID(),
  search: randomUUID(),
  staging: randomUUID(),
  prod: randomUUID(),
  prodEu: randomUUID(),
  alpha: randomUUID(),
  beta: randomUUID(),
  alphaStaging: randomUUID(),
  alphaProd: randomUUID(),
  alphaProdEu: randomUUID(),
  betaProd: randomUUID(),
};
const release: Record<string, string> = {};
const deployment: Record<string, string> = {};

// The period: Monday 5 January 2026 to Monday 19 January 2026 (14 days, two ISO weeks).
const FROM = '2026-01-05T00:00:00.000Z';
const TO = '2026-01-19T00:00:00.000Z';
const at = (text: string) => `2026-01-${text}Z`;

async function seed(url: string): Promise<void> {
  const client = new pg.Client(url);
  await client.connect();
  const q = (text: string, values: unknown[]) => client.query(text, values);
  try {
    for (const [teamId, slug] of [
      [id.payments, 'dm-payments'],
      [id.search, 'dm-search'],
    ] as const) {
      await q(`INSERT INTO teams (id, slug, name, updated_at) VALUES ($1, $2, $2, now())`, [teamId, slug]);
    }
    for (const [envId, slug, position, tier] of [
      [id.staging, 'dm-staging', 901, 'staging'],
      [id.prod, 'dm-production', 902, 'production'],
      [id.prodEu, 'dm-production-eu', 903, 'production'],
    ] as const) {
      await q(
        `INSERT INTO environments (id, slug, name, position, tier, updated_at) VALUES ($1, $2, $2, $3, $4, now())`,
        [envId, slug, position, tier],
      );
    }
    for (const [serviceId, slug, teamId] of [
      [id.alpha, 'dm-alpha', id.payments],
      [id.beta, 'dm-beta', id.search],
    ] as const) {
      await q(`INSERT INTO services (id, slug, name, team_id, updated_at) VALUES ($1, $2, $2, $3, now())`, [
        serviceId,
        slug,
        teamId,
      ]);
    }
    for (const [stageId, serviceId, envId] of [
      [id.alphaStaging, id.alpha, id.staging],
      [id.alphaProd, id.alpha, id.prod],
      [id.alphaProdEu, id.alpha, id.prodEu],
      [id.betaProd, id.beta, id.prod],
    ] as const) {
      await q(
        `INSERT INTO stages (id, service_id, environment_id, driver_kind, updated_at) VALUES ($1, $2, $3, 'sandbox', now())`,
        [stageId, serviceId, envId],
      );
    }
    // name, service, created at, committed at (null: unknown, lead time starts at creation)
    for (const [name, serviceId, createdAt, committedAt] of [
      ['a1', id.alpha, at('05T09:00:00'), at('05T08:00:00')],
      ['a2', id.alpha, at('06T10:30:00'), at('06T10:00:00')],
      ['a3', id.alpha, at('07T12:00:00'), null],
      ['a4', id.alpha, at('11T02:00:00'), at('11T00:00:00')],
      ['a5', id.alpha, at('12T09:30:00'), at('12T09:00:00')],
      ['a6', id.alpha, at('13T09:00:00'), at('13T08:00:00')],
      ['b0', id.beta, '2025-12-20T00:00:00Z', null],
      ['b1', id.beta, at('08T01:00:00'), at('08T00:00:00')],
    ] as const) {
      release[name] = randomUUID();
      await q(
        `INSERT INTO releases (id, service_id, version, commit_sha, source, created_at, committed_at)
         VALUES ($1, $2, $3, $4, 'api', $5, $6)`,
        [release[name], serviceId, name, 'abcdef1', createdAt, committedAt],
      );
    }
    // name, stage, release, kind, status, created at, finished at
    for (const [name, stageId, releaseName, kind, status, createdAt, finishedAt] of [
      ['d9', id.alphaStaging, 'a1', 'promote', 'succeeded', at('05T09:50:00'), at('05T10:00:00')],
      ['d1', id.alphaProd, 'a1', 'promote', 'succeeded', at('05T11:50:00'), at('05T12:00:00')],
      ['d2', id.alphaProd, 'a2', 'promote', 'succeeded', at('06T11:50:00'), at('06T12:00:00')],
      ['rb1', id.alphaProd, 'a1', 'rollback', 'succeeded', at('06T13:00:00'), at('06T13:30:00')],
      ['d3', id.alphaProd, 'a3', 'promote', 'succeeded', at('07T17:50:00'), at('07T18:00:00')],
      ['d8', id.alphaProdEu, 'a1', 'record', 'succeeded', at('08T23:50:00'), at('09T00:00:00')],
      ['d4', id.alphaProd, 'a4', 'promote', 'succeeded', at('12T05:50:00'), at('12T06:00:00')],
      ['d5', id.alphaProd, 'a5', 'promote', 'succeeded', at('12T10:50:00'), at('12T11:00:00')],
      ['d6', id.alphaProd, 'a6', 'promote', 'failed', at('13T09:50:00'), at('13T10:00:00')],
      ['rb2', id.alphaProd, 'a5', 'rollback', 'succeeded', at('13T10:10:00'), at('13T10:20:00')],
      ['d7', id.alphaProd, 'a5', 'redeploy', 'succeeded', at('14T09:00:00'), at('14T09:10:00')],
      ['d13', id.alphaProdEu, 'a4', 'record', 'succeeded', at('18T23:50:00'), TO],
      ['d11', id.betaProd, 'b0', 'promote', 'succeeded', '2025-12-21T00:00:00Z', '2026-01-04T23:59:59.999Z'],
      ['d10', id.betaProd, 'b1', 'promote', 'succeeded', at('14T23:50:00'), at('15T00:00:00')],
      ['rb3', id.betaProd, 'b0', 'rollback', 'failed', at('16T00:00:00'), at('16T00:10:00')],
    ] as const) {
      deployment[name] = randomUUID();
      await q(
        `INSERT INTO deployments (id, stage_id, release_id, kind, status, requested_by, created_at, updated_at, finished_at)
         VALUES ($1, $2, $3, $4, $5, 'someone', $6, $7, $7)`,
        [deployment[name], stageId, release[releaseName], kind, status, createdAt, finishedAt],
      );
    }
    // An incident caused by d4 (noticed at 08:00); another only suspects d1, which does not count.
    for (const [deploymentName, relation, detectedAt] of [
      ['d4', 'cause', at('12T08:00:00')],
      ['d1', 'suspect', at('05T13:00:00')],
    ] as const) {
      const incidentId = randomUUID();
      await q(
        `INSERT INTO incidents (id, title, severity_key, declared_by, detected_at, updated_at)
         VALUES ($1, 'Checkout errors', 'P2', 'someone', $2, now())`,
        [incidentId, detectedAt],
      );
      await q(
        `INSERT INTO incident_deployments (incident_id, deployment_id, relation, created_by) VALUES ($1, $2, $3, 'someone')`,
        [incidentId, deployment[deploymentName], relation],
      );
    }
  } finally {
    await client.end();
  }
}

async function metrics(query: Record<string, string>): Promise<DeliveryMetrics> {
  const response = await app.get(`/api/v1/metrics/delivery?${new URLSearchParams(query).toString()}`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return deliveryMetricsSchema.parse(response.body);
}

beforeAll(async () => {
  app = await startTestApp({ env: { FLIGHTDECK_DEMO: 'false' } });
  await seed(app.db.url);
});

afterAll(async () => {
  await app?.close();
});

const HOUR = 3_600;

describe('delivery metrics (DORA)', () => {
  it('computes the four figures for production-tier environments by hand-checked arithmetic', async () => {
    const body = await metrics({ from: FROM, to: TO, bucket: 'week' });
    expect(body.environments.map((environment) => environment.slug)).toEqual([
      'dm-production',
      'dm-production-eu',
    ]);
    // Changes (successful promote/record deployments finishing in [from, to)): d1, d2, d3, d8, d4, d5,
    // d10 = 7. Not: d9 (staging), rb1/rb2 (rollbacks), d7 (redeploy), d6 (failed), d11 (finished
    // 1 ms before from), d13 (finished exactly at to). 7 over 14 days = 0.5 a day → high (daily–weekly).
    expect(body.deploymentFrequency).toEqual({ deployments: 7, perDay: 0.5, band: 'high' });
    // Lead times (finish − commit, or − creation for a3): d1 12:00−08:00 = 4 h; d2 12:00−10:00 = 2 h;
    // d3 18:00−12:00 (created) = 6 h; d8 9th 00:00 − 5th 08:00 = 88 h; d4 12th 06:00 − 11th 00:00 = 30 h;
    // d5 11:00−09:00 = 2 h; d10 15th − 8th = 168 h. Sorted: 2, 2, 4, 6, 30, 88, 168 h → median 6 h
    // (elite: under a day). p90 by interpolation: rank 0.9 × 6 = 5.4 → 88 + 0.4 × (168 − 88) = 120 h.
    expect(body.leadTime).toEqual({
      changes: 7,
      medianSeconds: 6 * HOUR,
      p90Seconds: 120 * HOUR,
      basis: 'mixed',
      withCommitTime: 6,
      band: 'elite',
    });
    // Failed: d2 (rollback rb1 to a1 requested while a2 was the last success), d4 (incident cause),
    // d10 (rollback rb3, which itself failed). Not d1 (d2 succeeded before rb1; its incident is only a
    // suspect), not d5 (rb2 went back to a5 itself after d6 failed). 3 / 7 → low (over 15%).
    expect(body.changeFailureRate).toEqual({ deployments: 7, failures: 3, rate: 3 / 7, band: 'low' });
    // Restores: d2 rb1 requested 13:00 → rb1 succeeded 13:30 = 30 min; d4 detected 08:00 → d5
    // succeeded 11:00 = 3 h; d10: nothing has succeeded on beta's production since → open.
    // Median of 0.5 h and 3 h = 1.75 h → high (under a day).
    expect(body.timeToRestore).toEqual({
      restored: 2,
      open: 1,
      medianSeconds: 1.75 * HOUR,
      band: 'high',
    });
    // Week of 5 Jan: d1, d2, d3, d8 (leads 4, 2, 6, 88 h → median (4 + 6) / 2 = 5 h), d2 failed.
    // Week of 12 Jan: d4, d5, d10 (leads 30, 2, 168 h → median 30 h), d4 and d10 failed, d4 restored.
    expect(body.series).toEqual([
      {
        start: FROM,
        end: '2026-01-12T00:00:00.000Z',
        deployments: 4,
        leadTimeMedianSeconds: 5 * HOUR,
        failures: 1,
        changeFailureRate: 0.25,
        restoreMedianSeconds: 0.5 * HOUR,
      },
      {
        start: '2026-01-12T00:00:00.000Z',
        end: TO,
        deployments: 3,
        leadTimeMedianSeconds: 30 * HOUR,
        failures: 2,
        changeFailureRate: 2 / 3,
        restoreMedianSeconds: 3 * HOUR,
      },
    ]);
  });

  it('puts deployments in UTC day buckets, clipped to a period that starts and ends mid-day', async () => {
    const daily = await metrics({ from: FROM, to: TO });
    expect(daily.bucket).toBe('day');
    expect(daily.series).toHaveLength(14);
    // d8 finished at midnight exactly: it belongs to the 9th, not the 8th.
    expect(daily.series.map((bucket) => bucket.deployments)).toEqual([
      1, 1, 1, 0, 1, 0, 0, 2, 0, 0, 1, 0, 0, 0,
    ]);
    expect(daily.series[3]).toMatchObject({ leadTimeMedianSeconds: null, changeFailureRate: null });

    // From 6 Jan 12:00 (inclusive: d2 finished then) to 9 Jan 00:00 (exclusive: d8 finished then).
    const clipped = await metrics({ from: at('06T12:00:00.000'), to: at('09T00:00:00.000') });
    expect(clipped.series.map((bucket) => [bucket.start, bucket.end, bucket.deployments])).toEqual([
      [at('06T12:00:00.000'), at('07T00:00:00.000'), 1],
      [at('07T00:00:00.000'), at('08T00:00:00.000'), 1],
      [at('08T00:00:00.000'), at('09T00:00:00.000'), 0],
    ]);
    // d2 and d3 over 2.5 days = 0.8 a day.
    expect(clipped.deploymentFrequency).toEqual({ deployments: 2, perDay: 0.8, band: 'high' });
  });

  it('filters by service, team and environment', async () => {
    const beta = await metrics({ from: FROM, to: TO, serviceId: id.beta });
    // Only d10 (168 h, failed, open). A lead time of exactly a week is no longer "under a week": medium.
    expect(beta.deploymentFrequency.deployments).toBe(1);
    expect(beta.leadTime).toMatchObject({ medianSeconds: 168 * HOUR, basis: 'commit', band: 'medium' });
    expect(beta.changeFailureRate).toMatchObject({ failures: 1, rate: 1 });
    expect(beta.timeToRestore).toEqual({ restored: 0, open: 1, medianSeconds: null, band: null });

    // The payments team owns alpha: d1, d2, d3, d8, d4, d5; failures d2 and d4, both restored.
    const payments = await metrics({ from: FROM, to: TO, teamId: id.payments });
    expect(payments.changeFailureRate).toEqual({ deployments: 6, failures: 2, rate: 1 / 3, band: 'low' });
    expect(payments.timeToRestore.medianSeconds).toBe(1.75 * HOUR);
    // Leads 2, 2, 4, 6, 30, 88 h → median 5 h.
    expect(payments.leadTime.medianSeconds).toBe(5 * HOUR);

    const eu = await metrics({ from: FROM, to: TO, environmentId: id.prodEu });
    expect(eu.environments.map((environment) => environment.slug)).toEqual(['dm-production-eu']);
    expect(eu.leadTime).toMatchObject({ changes: 1, medianSeconds: 88 * HOUR, basis: 'commit' });

    // A non-production environment only when asked for: d9 on staging, 2 h after a1's commit.
    const staging = await metrics({ from: FROM, to: TO, environmentId: id.staging });
    expect(staging.leadTime).toMatchObject({ changes: 1, medianSeconds: 2 * HOUR });

    const betaOnEu = await metrics({ from: FROM, to: TO, serviceId: id.beta, environmentId: id.prodEu });
    expect(betaOnEu.deploymentFrequency).toEqual({ deployments: 0, perDay: 0, band: 'low' });
    expect(betaOnEu.leadTime).toMatchObject({ basis: 'none', medianSeconds: null, band: null });
    expect(betaOnEu.changeFailureRate.rate).toBeNull();
  });

  it('refuses bad periods and filters with a 400 naming the field, unknown ids with a 404', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ from: TO, to: FROM }, 'to'],
      [{ from: FROM, to: FROM }, 'to'],
      [{ from: '2024-01-01T00:00:00Z', to: TO }, 'from'],
      [{ from: '2099-01-01T00:00:00Z' }, 'from'],
      [{ from: 'last tuesday' }, 'from'],
      [{ bucket: 'month' }, 'bucket'],
      [{ serviceId: 'alpha' }, 'serviceId'],
      [{ environmentId: '42' }, 'environmentId'],
    ];
    for (const [query, field] of cases) {
      const response = await app.get<{ code: string; details: { issues: Array<{ field: string }> } }>(
        `/api/v1/metrics/delivery?${new URLSearchParams(query).toString()}`,
      );
      expect(response.status, JSON.stringify(query)).toBe(400);
      expect(response.body.code).toBe('INVALID_QUERY');
      expect(response.body.details.issues.map((issue) => issue.field)).toEqual([field]);
    }
    for (const [param, code] of [
      ['serviceId', 'SERVICE_NOT_FOUND'],
      ['teamId', 'TEAM_NOT_FOUND'],
      ['environmentId', 'ENVIRONMENT_NOT_FOUND'],
    ] as const) {
      const response = await app.get<{ code: string }>(`/api/v1/metrics/delivery?${param}=${randomUUID()}`);
      expect([response.status, response.body.code]).toEqual([404, code]);
    }
    expect((await app.anonymous.get('/api/v1/metrics/delivery')).status).toBe(401);
  });

  it('takes a release commit time from CI and measures lead time from it', async () => {
    const bad = await app.admin.post<{ details: { issues: Array<{ field: string }> } }>('/api/v1/releases', {
      service: 'dm-alpha',
      version: 'a9',
      commitSha: 'abcdef9',
      committedAt: 'yesterday',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.details.issues.map((issue) => issue.field)).toEqual(['committedAt']);
    const created = await app.admin.post<{ id: string; committedAt: string | null }>('/api/v1/releases', {
      service: 'dm-alpha',
      version: 'a9',
      commitSha: 'abcdef9',
      committedAt: '2026-02-17T10:00:00+02:00',
    });
    expect(created.status).toBe(201);
    expect(created.body.committedAt).toBe('2026-02-17T08:00:00.000Z');
    const client = new pg.Client(app.db.url);
    await client.connect();
    try {
      // It reached prod-eu at 10:00 UTC: a 2 h lead time, from the commit rather than the creation.
      await client.query(
        `INSERT INTO deployments (id, stage_id, release_id, kind, status, requested_by, updated_at, finished_at)
         VALUES ($1, $2, $3, 'promote', 'succeeded', 'someone', now(), $4)`,
        [randomUUID(), id.alphaProdEu, created.body.id, '2026-02-17T10:00:00Z'],
      );
    } finally {
      await client.end();
    }
    const eu = await metrics({
      from: '2026-02-17T00:00:00Z',
      to: '2026-02-18T00:00:00Z',
      environmentId: id.prodEu,
    });
    expect(eu.leadTime).toMatchObject({ changes: 1, medianSeconds: 2 * HOUR, basis: 'commit' });
  });
});
