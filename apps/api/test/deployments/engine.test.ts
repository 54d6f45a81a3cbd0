import type { Deployment, Gate, PromotionPreview } from '@flightdeck/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploy, getDeployment, setSandbox, waitForDeployment } from '../support/deployments.js';
import { sql } from '../support/sql.js';
import { stageIds, startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
let stageOf: Record<string, string> = {};

beforeAll(async () => {
  app = await startTestApp({ env: { FLIGHTDECK_RUNNER_INTERVAL_MS: '100' } });
  stageOf = await stageIds(app);
  await setSandbox(app, Object.values(stageOf));
});

afterAll(async () => {
  await app?.close();
});

async function preview(key: string): Promise<PromotionPreview> {
  return (await app.get<PromotionPreview>(`/api/v1/stages/${stageOf[key]}/preview`)).body;
}

async function currentRelease(key: string): Promise<string> {
  const [row] = await sql(app.db.url, 'SELECT current_release_id FROM stage_states WHERE stage_id = $1', [
    stageOf[key],
  ]);
  return row!.current_release_id as string;
}

async function newRelease(service: string, version: string): Promise<string> {
  const response = await app.admin.post<{ id: string }>('/api/v1/releases', {
    service,
    version,
    commitSha: 'abcdef1234567',
  });
  expect(response.status).toBe(201);
  return response.body.id;
}

describe('deploying a release to a stage', () => {
  it('promotes the next candidate through queued, running and verifying to succeeded, and the stage shows it', async () => {
    const before = await preview('checkout-api/production');
    expect(before.ready).toBe(true);
    const created = await deploy(app, {
      stageId: stageOf['checkout-api/production']!,
      reason: 'weekly release',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({
      kind: 'promote',
      status: 'queued',
      requestedBy: 'admin@flightdeck.test',
      driverKind: 'sandbox',
      breakGlass: false,
      release: { id: before.candidate!.id },
    });
    expect(created.body.deadlineAt).not.toBeNull();

    const done = await waitForDeployment(app, created.body.id);
    expect(done.status).toBe('succeeded');
    expect(done.events.map((event) => event.toStatus)).toEqual([
      'pending',
      'queued',
      'running',
      'running',
      'verifying',
      'succeeded',
    ]);
    expect(done.events[0]!.message).toBe(`Deploy ${before.candidate!.version} to production: weekly release`);
    expect(done.driverExternalId).toMatch(/^sandbox-/);
    expect(await currentRelease('checkout-api/production')).toBe(before.candidate!.id);

    const [state] = await sql(
      app.db.url,
      'SELECT previous_release_id, last_deployment_id, health FROM stage_states WHERE stage_id = $1',
      [stageOf['checkout-api/production']],
    );
    expect(state).toEqual({
      previous_release_id: before.current!.id,
      last_deployment_id: created.body.id,
      health: 'healthy',
    });
    const audit = await sql(
      app.db.url,
      `SELECT action, actor_name FROM audit_events WHERE target_id = $1 ORDER BY id`,
      [created.body.id],
    );
    expect(audit.map((row) => row.action)).toEqual([
      'deployment.create',
      'deployment.queued',
      'deployment.running',
      'deployment.verifying',
      'deployment.succeeded',
    ]);
    expect(audit[0]!.actor_name).toBe('admin@flightdeck.test');
    expect(audit.at(-1)!.actor_name).toBe('runner');
  });

  it('gives one deployment for one Idempotency-Key, and a 422 for the key with another request', async () => {
    const stageId = stageOf['checkout-api/staging']!;
    const releaseId = await currentRelease('checkout-api/staging');
    const key = `redeploy-${Date.now()}`;
    const first = await deploy(app, { stageId, releaseId }, { 'idempotency-key': key });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.kind).toBe('redeploy');
    const again = await deploy(app, { stageId, releaseId }, { 'idempotency-key': key });
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const other = await deploy(app, { stageId, releaseId, reason: 'other' }, { 'idempotency-key': key });
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const [{ count }] = (await sql(
      app.db.url,
      "SELECT count(*)::int AS count FROM deployments WHERE stage_id = $1 AND created_at > now() - interval '1 minute'",
      [stageId],
    )) as [{ count: number }];
    expect(count).toBe(1);
    await waitForDeployment(app, first.body.id);
  });

  it('starts exactly one of 50 concurrent promotions of a stage; the others get a clear code', async () => {
    const stageId = stageOf['web-storefront/production']!;
    // Still running when the last of the 50 is answered, however busy the machine.
    await setSandbox(app, [stageId], { durationSeconds: 60 });
    const candidate = (await preview('web-storefront/production')).candidate;
    expect(candidate).not.toBeNull();
    const responses = await Promise.all(Array.from({ length: 50 }, () => deploy(app, { stageId })));
    const created = responses.filter((response) => response.status === 201);
    const refused = responses.filter((response) => response.status !== 201);
    expect(created).toHaveLength(1);
    expect(new Set(refused.map((response) => `${response.status} ${response.body.code}`))).toEqual(
      new Set(['409 DEPLOYMENT_IN_PROGRESS']),
    );
    expect(refused[0]!.body.message).toMatch(
      new RegExp(`^${candidate!.version} is already \\w+ on production`),
    );
    const rows = await sql(
      app.db.url,
      `SELECT status FROM deployments WHERE stage_id = $1 AND release_id = $2 AND created_at > now() - interval '1 minute'`,
      [stageId, candidate!.id],
    );
    expect(rows).toHaveLength(1);
    await waitForDeployment(app, created[0]!.body.id, ['running']);
    expect((await app.admin.post(`/api/v1/deployments/${created[0]!.body.id}/cancel`, {})).status).toBe(200);
  });

  it('lets a newer request supersede older pending ones, visibly, and never runs two at once', async () => {
    // Preview has no upstream stage, so any release may go there; older ones are rollbacks.
    const stageId = stageOf['web-storefront/preview']!;
    // Slow enough that the first is still running however long the later requests take.
    await setSandbox(app, [stageId], { durationSeconds: 120 });
    const releases = await sql(
      app.db.url,
      `SELECT r.id FROM releases r JOIN services s ON s.id = r.service_id WHERE s.slug = 'web-storefront'
       ORDER BY r.created_at DESC LIMIT 12`,
    );
    const first = await deploy(app, { stageId, releaseId: releases[0]!.id as string });
    expect(first.status).toBe(201);
    const later: Deployment[] = [];
    for (const release of releases.slice(1)) {
      const response = await deploy(app, { stageId, releaseId: release.id as string });
      expect(response.status, JSON.stringify(response.body)).toBe(201);
      expect(response.body.status).toBe('pending');
      later.push(response.body);
    }
    const superseded = await Promise.all(later.slice(0, -1).map((d) => getDeployment(app, d.id)));
    for (const deployment of superseded) {
      expect(deployment.status).toBe('superseded');
      expect(deployment.events.at(-1)!.message).toMatch(
        /^Superseded by a newer request: .+ by admin@flightdeck.test$/,
      );
    }
    const waiting = await getDeployment(app, later.at(-1)!.id);
    expect(waiting.gates.find((gate) => gate.kind === 'busy')).toMatchObject({
      state: 'waiting',
      message: expect.stringMatching(
        / is (queued|running|verifying) on preview \(requested by admin@flightdeck.test\); this starts after it$/,
      ) as string,
    });
    const [active] = (await sql(
      app.db.url,
      `SELECT count(*)::int AS count FROM deployments WHERE stage_id = $1 AND status IN ('queued','running','verifying')`,
      [stageId],
    )) as [{ count: number }];
    expect(active.count).toBe(1);
    // Once the first ends, the one still waiting starts by itself.
    await setSandbox(app, [stageId], { durationSeconds: 0 });
    expect((await app.admin.post(`/api/v1/deployments/${first.body.id}/cancel`, {})).status).toBe(200);
    expect((await waitForDeployment(app, later.at(-1)!.id)).status).toBe('succeeded');
  });
});

describe('gates block with their sentence', () => {
  function gateOf(body: unknown, kind: Gate['kind']): Gate | undefined {
    return (body as { details: { gates: Gate[] } }).details.gates.find((gate) => gate.kind === kind);
  }

  it('refuses a locked stage, naming who locked it and why', async () => {
    const stageId = stageOf['payments-service/production']!;
    const response = await deploy(app, { stageId });
    expect(response.status).toBe(409);
    expect(response.body.code).toBe('DEPLOYMENT_BLOCKED');
    expect(response.body.message).toMatch(/^Blocked: production is locked by maria\.k since .+: /);
    expect(gateOf(response.body, 'lock')).toMatchObject({ state: 'fail' });
    const denied = await sql(
      app.db.url,
      `SELECT outcome, reason FROM audit_events WHERE action = 'deployment.create' AND target_id = $1`,
      [stageId],
    );
    expect(denied).toEqual([{ outcome: 'denied', reason: response.body.message }]);
  });

  it('refuses a release that has not succeeded upstream', async () => {
    const releaseId = await newRelease('inventory-sync', `v9.0.${Date.now() % 1000}`);
    const response = await deploy(app, { stageId: stageOf['inventory-sync/production']!, releaseId });
    expect(response.status).toBe(409);
    expect(gateOf(response.body, 'upstream')).toMatchObject({
      state: 'fail',
      message: expect.stringMatching(
        /^v9\.0\.\d+ has not succeeded in staging; promote it there first$/,
      ) as string,
    });
  });

  it('refuses a release held on the stage after a rollback', async () => {
    const stageId = stageOf['fraud-scoring/production']!;
    const candidate = (await preview('fraud-scoring/production')).candidate!;
    await sql(
      app.db.url,
      `UPDATE stage_states SET hold_release_id = $2, hold_reason = 'bad latency' WHERE stage_id = $1`,
      [stageId, candidate.id],
    );
    const response = await deploy(app, { stageId });
    expect(response.status).toBe(409);
    expect(gateOf(response.body, 'hold')).toMatchObject({
      state: 'fail',
      message: `${candidate.version} was rolled back from production and is held there: bad latency`,
    });
    await sql(
      app.db.url,
      `UPDATE stage_states SET hold_release_id = NULL, hold_reason = NULL WHERE stage_id = $1`,
      [stageId],
    );
  });

  it('refuses a quarantined release on every stage until the quarantine is lifted', async () => {
    const candidate = (await preview('catalog-search/production')).candidate!;
    const quarantined = await app.admin.put<{ quarantine: { by: string; reason: string } | null }>(
      `/api/v1/releases/${candidate.id}/quarantine`,
      { reason: 'corrupts search index' },
    );
    expect(quarantined.status, JSON.stringify(quarantined.body)).toBe(200);
    expect(quarantined.body.quarantine).toMatchObject({
      by: 'admin@flightdeck.test',
      reason: 'corrupts search index',
    });
    const blocked = await deploy(app, { stageId: stageOf['catalog-search/production']! });
    expect(blocked.status).toBe(409);
    expect(gateOf(blocked.body, 'quarantine')).toMatchObject({
      state: 'fail',
      message: expect.stringMatching(
        new RegExp(
          `^${candidate.version} is quarantined by admin@flightdeck.test since \\d\\d:\\d\\d UTC: corrupts search index$`,
        ),
      ) as string,
    });
    const tooShort = await app.admin.put<{ code: string }>(`/api/v1/releases/${candidate.id}/quarantine`, {
      reason: '',
    });
    expect(tooShort.status).toBe(400);
    const lifted = await app.admin.delete<{ quarantine: null }>(
      `/api/v1/releases/${candidate.id}/quarantine`,
    );
    expect(lifted.body.quarantine).toBeNull();
    const audit = await sql(app.db.url, `SELECT action FROM audit_events WHERE target_id = $1 ORDER BY id`, [
      candidate.id,
    ]);
    expect(audit.map((row) => row.action)).toEqual(['release.quarantine', 'release.quarantine_lift']);
    expect((await preview('catalog-search/production')).ready).toBe(true);
  });

  it('waits outside the environment’s deployment windows, and goes when one opens', async () => {
    const now = new Date();
    const [env] = await sql(app.db.url, `SELECT id FROM environments WHERE slug = 'dev'`);
    const [window] = await sql(
      app.db.url,
      `INSERT INTO deployment_windows (id, environment_id, name, cron, duration_minutes, timezone, created_by)
       VALUES (gen_random_uuid(), $1, 'Night shift', $2, 60, 'UTC', 'test') RETURNING id`,
      [env!.id, `0 ${(now.getUTCHours() + 12) % 24} * * *`],
    );
    const stageId = stageOf['catalog-search/dev']!;
    const response = await deploy(app, { stageId, releaseId: await currentRelease('catalog-search/dev') });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body.status).toBe('pending');
    const waiting = await getDeployment(app, response.body.id);
    expect(waiting.gates.find((gate) => gate.kind === 'window')).toMatchObject({
      state: 'waiting',
      message: expect.stringMatching(
        /^Outside dev's deployment windows; Night shift opens at .*\d\d:00 UTC$/,
      ) as string,
    });
    // The window opened a minute ago: the runner queues it without anyone asking again.
    const opened = new Date(now.getTime() - 60_000);
    await sql(app.db.url, 'UPDATE deployment_windows SET cron = $2 WHERE id = $1', [
      window!.id,
      `${opened.getUTCMinutes()} ${opened.getUTCHours()} * * *`,
    ]);
    expect((await waitForDeployment(app, response.body.id)).status).toBe('succeeded');
    await sql(app.db.url, 'DELETE FROM deployment_windows WHERE id = $1', [window!.id]);
  });

  it('waits while the release soaks upstream, then goes by itself', async () => {
    const release = await newRelease('identity-gateway', `v7.1.${Date.now() % 1000}`);
    for (const env of ['dev', 'staging']) {
      const response = await deploy(app, {
        stageId: stageOf[`identity-gateway/${env}`]!,
        releaseId: release,
      });
      expect(response.status, `${env}: ${JSON.stringify(response.body)}`).toBe(201);
      expect((await waitForDeployment(app, response.body.id)).status).toBe('succeeded');
    }
    const production = await deploy(app, {
      stageId: stageOf['identity-gateway/production']!,
      releaseId: release,
    });
    expect(production.status).toBe(201);
    expect(production.body.status).toBe('pending');
    const waiting = await getDeployment(app, production.body.id);
    expect(waiting.gates.find((gate) => gate.kind === 'soak')).toMatchObject({
      state: 'waiting',
      message: expect.stringMatching(
        /^Soaking in staging for 10 minutes more \(until (?:[A-Z][a-z]{2} \d{1,2} )?\d\d:\d\d UTC\)$/,
      ) as string,
    });
    await sql(app.db.url, 'UPDATE stages SET soak_seconds = 0 WHERE id = $1', [
      stageOf['identity-gateway/staging'],
    ]);
    expect((await waitForDeployment(app, production.body.id)).status).toBe('succeeded');
  });

  it('refuses a frozen stage; break glass by an admin with a reason passes it and is flagged everywhere', async () => {
    const freeze = await app.admin.post<{ id: string }>('/api/v1/freezes', {
      scope: 'service',
      service: 'notifications-worker',
      reason: 'Black Friday',
      window: {
        kind: 'oneoff',
        startsAt: new Date(Date.now() - 60_000).toISOString(),
        endsAt: new Date(Date.now() + 3_600_000).toISOString(),
      },
    });
    expect(freeze.status, JSON.stringify(freeze.body)).toBe(201);
    const stageId = stageOf['notifications-worker/staging']!;
    const releaseId = await currentRelease('notifications-worker/staging');
    const blocked = await deploy(app, { stageId, releaseId });
    expect(blocked.status).toBe(409);
    expect(gateOf(blocked.body, 'freeze')).toMatchObject({
      state: 'fail',
      message: expect.stringMatching(
        /^Frozen \(service\) until (?:[A-Z][a-z]{2} \d{1,2} )?\d\d:\d\d UTC: Black Friday$/,
      ) as string,
    });

    const deployer = await app.userWith('deployer');
    const notAdmin = await deployer.post<{ code: string }>('/api/v1/deployments', {
      stageId,
      releaseId,
      breakGlass: true,
      reason: 'hotfix',
    });
    expect(notAdmin.status).toBe(403);
    expect(notAdmin.body.code).toBe('BREAK_GLASS_FORBIDDEN');
    const noReason = await deploy(app, { stageId, releaseId, breakGlass: true });
    expect(noReason.status).toBe(400);
    expect(noReason.body.code).toBe('BREAK_GLASS_REASON_REQUIRED');

    const broken = await deploy(app, { stageId, releaseId, breakGlass: true, reason: 'INC-42 hotfix' });
    expect(broken.status, JSON.stringify(broken.body)).toBe(201);
    expect(broken.body).toMatchObject({ breakGlass: true, reason: 'INC-42 hotfix', status: 'queued' });
    const done = await waitForDeployment(app, broken.body.id);
    expect(done.status).toBe('succeeded');
    expect(done.events[1]!.message).toMatch(
      /^Break glass: overriding Frozen \(service\) until .+: Black Friday$/,
    );
    expect(done.events.find((event) => event.toStatus === 'queued')!.message).toBe(
      'Queued through break glass',
    );

    const [audit] = await sql(
      app.db.url,
      `SELECT action, reason, after FROM audit_events WHERE target_id = $1 AND action = 'deployment.break_glass'`,
      [broken.body.id],
    );
    expect(audit).toMatchObject({ reason: 'INC-42 hotfix' });
    expect((audit!.after as { overriddenGates: Gate[] }).overriddenGates.map((gate) => gate.kind)).toEqual([
      'freeze',
    ]);
    const board = await app.get<{
      rows: Array<{
        service: { slug: string };
        cells: Record<string, { stageId: string; lastDeployment: { breakGlass: boolean } | null }>;
      }>;
    }>('/api/v1/board');
    const cell = Object.values(
      board.body.rows.find((row) => row.service.slug === 'notifications-worker')!.cells,
    ).find((c) => c.stageId === stageId)!;
    expect(cell.lastDeployment!.breakGlass).toBe(true);
    await app.admin.delete(`/api/v1/freezes/${freeze.body.id}`);
  });

  it('checks who may deploy where', async () => {
    const viewer = await app.userWith('viewer');
    const response = await viewer.post<{ code: string }>('/api/v1/deployments', {
      stageId: stageOf['checkout-api/dev'],
    });
    expect(response.status).toBe(403);
    const invalid = await deploy(app, { stageId: 'not-a-uuid' });
    expect(invalid.status).toBe(400);
    const missing = await deploy(app, { stageId: '00000000-0000-4000-8000-000000000000' });
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('STAGE_NOT_FOUND');
    const foreign = await deploy(app, {
      stageId: stageOf['checkout-api/dev']!,
      releaseId: await currentRelease('payments-service/dev'),
    });
    expect(foreign.status).toBe(400);
    expect(foreign.body.code).toBe('RELEASE_OF_ANOTHER_SERVICE');
  });
});

describe('deadlines, cancels and reports', () => {
  it('ends a deployment past its stage deadline timed_out, with a message', async () => {
    const stageId = stageOf['fraud-scoring/dev']!;
    await setSandbox(app, [stageId], { durationSeconds: 120 });
    await sql(app.db.url, 'UPDATE stages SET deadline_seconds = 1 WHERE id = $1', [stageId]);
    const response = await deploy(app, { stageId, releaseId: await currentRelease('fraud-scoring/dev') });
    expect(response.status).toBe(201);
    const done = await waitForDeployment(app, response.body.id);
    expect(done.status).toBe('timed_out');
    expect(done.error).toBe("Timed out: not finished within the stage's deadline of 1 s");
    expect(done.events.at(-1)!.message).toMatch(
      /^Did not finish within the stage's deadline of 1 s \(running at the deadline\)$/,
    );
    await sql(app.db.url, 'UPDATE stages SET deadline_seconds = 1800 WHERE id = $1', [stageId]);
  });

  it('cancels a running deployment once, and refuses to cancel a finished one', async () => {
    const stageId = stageOf['inventory-sync/dev']!;
    await setSandbox(app, [stageId], { durationSeconds: 60 });
    const response = await deploy(app, { stageId, releaseId: await currentRelease('inventory-sync/dev') });
    await waitForDeployment(app, response.body.id, ['running']);
    const cancelled = await app.admin.post<Deployment>(`/api/v1/deployments/${response.body.id}/cancel`, {
      reason: 'wrong build',
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', error: 'Cancelled: wrong build' });
    const again = await app.admin.post<{ code: string }>(
      `/api/v1/deployments/${response.body.id}/cancel`,
      {},
    );
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('DEPLOYMENT_FINISHED');
  });

  it('records a deployment done elsewhere from its reports', async () => {
    const stageId = stageOf['web-storefront/dev']!;
    await sql(app.db.url, `UPDATE stages SET driver_kind = 'record', driver_config = '{}' WHERE id = $1`, [
      stageId,
    ]);
    const response = await deploy(app, { stageId, releaseId: await currentRelease('web-storefront/dev') });
    expect(response.status).toBe(201);
    const running = await waitForDeployment(app, response.body.id, ['running']);
    expect(running.driverKind).toBe('record');
    const progress = await app.admin.post<Deployment>(`/api/v1/deployments/${response.body.id}/report`, {
      status: 'running',
      message: 'helm upgrade in progress',
      url: 'https://ci.example.com/jobs/7',
    });
    expect(progress.status, JSON.stringify(progress.body)).toBe(200);
    expect(progress.body.driverUrl).toBe('https://ci.example.com/jobs/7');
    const finished = await app.admin.post<Deployment>(`/api/v1/deployments/${response.body.id}/report`, {
      status: 'succeeded',
      message: 'helm upgrade done',
    });
    expect(finished.status).toBe(200);
    const done = await waitForDeployment(app, response.body.id);
    expect(done.status).toBe('succeeded');
    expect(done.events.map((event) => event.message)).toContain('helm upgrade in progress');
    const late = await app.admin.post<{ code: string }>(`/api/v1/deployments/${response.body.id}/report`, {
      status: 'failed',
    });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('DEPLOYMENT_FINISHED');

    const sandboxStage = stageOf['web-storefront/staging']!;
    const sandbox = await deploy(app, {
      stageId: sandboxStage,
      releaseId: await currentRelease('web-storefront/staging'),
    });
    const wrong = await app.admin.post<{ code: string }>(`/api/v1/deployments/${sandbox.body.id}/report`, {
      status: 'succeeded',
    });
    expect(wrong.status).toBe(409);
    expect(wrong.body.code).toBe('NOT_A_RECORD_STAGE');
    await waitForDeployment(app, sandbox.body.id);
  });
});
