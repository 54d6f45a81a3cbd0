import { randomBytes, randomUUID } from 'node:crypto';
import { boardSchema, stageDetailSchema } from '@flightdeck/contracts';
import { type FakeArgoCd, startFakeArgoCd } from '@flightdeck/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArgoCdHealthPoller } from '../../src/drivers/argocd/argocd-health.poller.js';
import { argoTokenAad } from '../../src/drivers/argocd/argocd-config.js';
import { argoSyncWindowGate, ArgoSyncWindows } from '../../src/drivers/argocd/argocd-sync-windows.js';
import { SecretBox } from '../../src/secrets/secret-box.js';
import { sql } from '../support/sql.js';
import { openEventStream } from '../support/sse.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
let argo: FakeArgoCd;

beforeAll(async () => {
  app = await startTestApp({
    env: { FLIGHTDECK_SECRET_KEY: randomBytes(32).toString('base64'), FLIGHTDECK_RUNNER_INTERVAL_MS: '100' },
  });
  argo = await startFakeArgoCd();
});

afterAll(async () => {
  await argo?.close();
  await app?.close();
});

async function argoStage(): Promise<{
  stageId: string;
  serviceSlug: string;
  releaseId: string;
  sha: string;
}> {
  const box = app.server.app.get(SecretBox);
  const serviceSlug = `argo-${randomUUID().slice(0, 8)}`;
  const stageId = randomUUID();
  const sha = randomBytes(20).toString('hex');
  const [service] = await sql(
    app.db.url,
    `INSERT INTO services (id, slug, name, updated_at) VALUES (gen_random_uuid(), $1, $1, now()) RETURNING id`,
    [serviceSlug],
  );
  const config = {
    serverUrl: argo.url,
    tokenSealed: box.seal(argo.token, argoTokenAad(stageId)),
    application: serviceSlug,
    pollIntervalSeconds: 1,
  };
  await sql(
    app.db.url,
    `INSERT INTO stages (id, service_id, environment_id, driver_kind, driver_config, updated_at)
     SELECT $1, $2, e.id, 'argocd', $3::jsonb, now() FROM environments e WHERE e.slug = 'dev'`,
    [stageId, service!.id, JSON.stringify(config)],
  );
  await sql(app.db.url, `INSERT INTO stage_states (stage_id, updated_at) VALUES ($1, now())`, [stageId]);
  const [release] = await sql(
    app.db.url,
    `INSERT INTO releases (id, service_id, version, commit_sha, source) VALUES (gen_random_uuid(), $1, 'v1.0.0', $2, 'api') RETURNING id`,
    [service!.id, sha],
  );
  argo.addApplication({ name: serviceSlug });
  return { stageId, serviceSlug, releaseId: release!.id as string, sha };
}

async function stateOf(stageId: string) {
  const [row] = await sql(
    app.db.url,
    `SELECT health, health_message, health_checked_at, last_deployment_id FROM stage_states WHERE stage_id = $1`,
    [stageId],
  );
  return row!;
}

describe('the Argo CD health poller', () => {
  it('does nothing while no stage uses Argo CD', async () => {
    const poller = app.server.app.get(ArgoCdHealthPoller);
    expect(await poller.pollOnce()).toEqual({ ran: false, checked: 0, changed: 0, failed: 0 });
    expect(argo.requests).toHaveLength(0);
  });

  it('keeps health and sync status current, notes a degradation on the last deployment and audits it', async () => {
    const stage = await argoStage();
    const poller = app.server.app.get(ArgoCdHealthPoller);
    const created = await app.admin.post<{ id: string }>('/api/v1/deployments', {
      stageId: stage.stageId,
      releaseId: stage.releaseId,
      reason: 'health poller',
    });
    expect(created.status).toBe(201);
    const deploymentId = created.body.id;
    await argo.waitFor(() => argo.app(stage.serviceSlug).health.status === 'Healthy', 15_000);
    for (let i = 0; i < 100 && (await stateOf(stage.stageId)).last_deployment_id !== deploymentId; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    const healthy = await poller.pollOnce();
    expect(healthy.ran).toBe(true);
    expect((await stateOf(stage.stageId)).health).toBe('healthy');
    expect((await stateOf(stage.stageId)).health_message).toContain(
      `Argo CD: OutOfSync at ${stage.sha.slice(0, 7)}`,
    );

    const events = await openEventStream(app.admin);
    argo.setHealth(stage.serviceSlug, 'Degraded', 'Back-off restarting failed container');
    const pass = await poller.pollOnce();
    expect(pass).toMatchObject({ ran: true, changed: 1, failed: 0 });
    const state = await stateOf(stage.stageId);
    expect(state.health).toBe('degraded');
    expect(state.health_message).toMatch(/^Back-off restarting failed container; Argo CD: OutOfSync at /);
    expect(state.health_checked_at).not.toBeNull();
    await events.next((m) => m.event === 'stage.updated' && m.data.includes(stage.stageId));
    events.close();

    const notes = await sql(
      app.db.url,
      `SELECT message, actor FROM deployment_events WHERE deployment_id = $1 ORDER BY id`,
      [deploymentId],
    );
    expect(notes.at(-1)).toEqual({
      message: `Argo CD reports ${stage.serviceSlug} degraded: Back-off restarting failed container (OutOfSync at ${stage.sha.slice(0, 7)})`,
      actor: 'argocd-health',
    });
    const audit = await sql(
      app.db.url,
      `SELECT actor_name, reason, after FROM audit_events WHERE action = 'stage.health_degraded' AND target_id = $1`,
      [stage.stageId],
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_name: 'argocd-health', after: { health: 'degraded' } });

    const board = boardSchema.parse((await app.get('/api/v1/board')).body);
    const row = board.rows.find((r) => r.service.slug === stage.serviceSlug)!;
    const cell = Object.values(row.cells).find((c) => c?.stageId === stage.stageId)!;
    expect(cell.health).toBe('degraded');

    // The same health again changes nothing and notes nothing.
    expect(await poller.pollOnce()).toMatchObject({ changed: 0 });
    const after = await sql(
      app.db.url,
      `SELECT count(*)::int AS n FROM deployment_events WHERE deployment_id = $1`,
      [deploymentId],
    );
    expect(after[0]!.n).toBe(notes.length);
  });

  it('backs off a stage whose Argo CD fails', async () => {
    const stage = await argoStage();
    const poller = app.server.app.get(ArgoCdHealthPoller);
    argo.setFault(stage.serviceSlug, { kind: 'error500', times: 1 });
    const before = argo.requestsFor(stage.serviceSlug).length;
    expect((await poller.pollOnce()).failed).toBe(1);
    await poller.pollOnce();
    // Still backing off: not asked again.
    expect(argo.requestsFor(stage.serviceSlug).length).toBe(before + 1);
    const later = new Date(Date.now() + 60_000);
    await poller.pollOnce(later);
    expect(argo.requestsFor(stage.serviceSlug).length).toBe(before + 2);
    expect((await stateOf(stage.stageId)).health).toBe('missing');
  });
});

describe("Argo CD's sync-window verdict as a gate", () => {
  it('waits with Argo CD reason while a window is closed and passes when it opens', async () => {
    const stage = await argoStage();
    const windows = app.server.app.get(ArgoSyncWindows);
    const [row] = await sql(app.db.url, `SELECT driver_config FROM stages WHERE id = $1`, [stage.stageId]);
    const subject = { id: stage.stageId, driverKind: 'argocd' as const, driverConfig: row!.driver_config };
    argo.setWindows(stage.serviceSlug, [
      { kind: 'deny', schedule: '0 9 * * 1-5', duration: '10h', active: true },
    ]);
    expect(argoSyncWindowGate(await windows.verdict(subject))).toEqual({
      kind: 'window',
      state: 'waiting',
      message: `Argo CD's sync windows do not allow syncing ${stage.serviceSlug} now (blocked by sync window: deny window "0 9 * * 1-5" for 10h is active)`,
      until: null,
    });
    argo.setWindows(stage.serviceSlug, []);
    expect(argoSyncWindowGate(await windows.verdict(subject))).toMatchObject({
      kind: 'window',
      state: 'pass',
    });
    expect(await windows.verdict({ id: stage.stageId, driverKind: 'sandbox', driverConfig: {} })).toBeNull();
  });
});

describe('Argo CD stage settings', () => {
  it('requires a token at first, seals it, shows only that one is set and keeps it when left out', async () => {
    const stage = await argoStage();
    const settings = {
      serverUrl: 'https://argocd.example.com',
      application: 'checkout',
      project: 'shop',
      mapping: { kind: 'kustomizeImage', image: 'ghcr.io/acme/checkout' },
    };
    // A stage of its own, switched from sandbox.
    await sql(app.db.url, `UPDATE stages SET driver_kind = 'sandbox', driver_config = '{}' WHERE id = $1`, [
      stage.stageId,
    ]);
    const missing = await app.admin.patch(`/api/v1/stages/${stage.stageId}`, {
      driver: { kind: 'argocd', config: settings },
    });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ code: 'ARGOCD_TOKEN_REQUIRED' });

    const token = 'argocd.jwt.token-for-settings';
    const saved = await app.admin.patch(`/api/v1/stages/${stage.stageId}`, {
      driver: { kind: 'argocd', config: { ...settings, token } },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const detail = stageDetailSchema.parse(saved.body);
    expect(detail.driverKind).toBe('argocd');
    expect(detail.driverConfig).toEqual({
      serverUrl: 'https://argocd.example.com',
      application: 'checkout',
      project: 'shop',
      appNamespace: null,
      mapping: { kind: 'kustomizeImage', image: 'ghcr.io/acme/checkout', value: 'version' },
      prune: false,
      syncOptions: [],
      timeoutSeconds: 10,
      pollIntervalSeconds: 5,
      tokenSet: true,
    });
    expect(JSON.stringify(saved.body)).not.toContain(token);
    const [row] = await sql(app.db.url, `SELECT driver_config FROM stages WHERE id = $1`, [stage.stageId]);
    const stored = row!.driver_config as { tokenSealed: string };
    expect(stored.tokenSealed).not.toContain(token);
    expect(app.server.app.get(SecretBox).open(stored.tokenSealed, argoTokenAad(stage.stageId))).toBe(token);

    const kept = await app.admin.patch(`/api/v1/stages/${stage.stageId}`, {
      driver: { kind: 'argocd', config: { ...settings, prune: true } },
    });
    expect(kept.status).toBe(200);
    expect(stageDetailSchema.parse(kept.body).driverConfig).toMatchObject({ prune: true, tokenSet: true });
    const audit = await sql(
      app.db.url,
      `SELECT after FROM audit_events WHERE action = 'stage.update' AND target_id = $1`,
      [stage.stageId],
    );
    expect(JSON.stringify(audit)).not.toContain(token);
    expect(JSON.stringify(audit)).not.toContain(stored.tokenSealed);

    const bad = await app.admin.patch(`/api/v1/stages/${stage.stageId}`, {
      driver: { kind: 'argocd', config: { ...settings, application: 'Not A Name' } },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('driver.config.application');
  });
});
