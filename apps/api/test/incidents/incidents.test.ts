import type {
  Deployment,
  Gate,
  Incident,
  IncidentSuspects,
  IncidentTimeline,
  PromotionPreview,
} from '@flightdeck/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploy, setSandbox, waitForDeployment } from '../support/deployments.js';
import { sql } from '../support/sql.js';
import { stageIds, startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
let stageOf: Record<string, string> = {};
let versions = 0;

beforeAll(async () => {
  app = await startTestApp({ env: { FLIGHTDECK_RUNNER_INTERVAL_MS: '100' } });
  stageOf = await stageIds(app);
  await setSandbox(app, [
    stageOf['catalog-search/dev']!,
    stageOf['fraud-scoring/dev']!,
    stageOf['inventory-sync/dev']!,
  ]);
});

afterAll(async () => {
  await app?.close();
});

type WithError<T> = T & { code?: string; message?: string; details?: { gates?: Gate[] } };

async function release(service: string): Promise<{ id: string; version: string }> {
  const version = `v9.${Date.now() % 100000}.${++versions}`;
  const response = await app.admin.post<{ id: string; version: string }>('/api/v1/releases', {
    service,
    version,
    commitSha: 'abcdef1234567',
  });
  expect(response.status).toBe(201);
  return response.body;
}

async function deployed(stageKey: string, service: string): Promise<Deployment> {
  const response = await deploy(app, { stageId: stageOf[stageKey]!, releaseId: (await release(service)).id });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return waitForDeployment(app, response.body.id);
}

// Moves a finished deployment and its events back in time, as if it had happened then.
async function finishedAt(id: string, at: Date): Promise<void> {
  await sql(app.db.url, `UPDATE deployments SET finished_at = $2, created_at = $2 WHERE id = $1`, [id, at]);
  await sql(app.db.url, `UPDATE deployment_events SET created_at = $2 WHERE deployment_id = $1`, [id, at]);
}

function declare(body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return app.admin.post<WithError<Incident>>('/api/v1/incidents', body, { headers });
}

async function preview(stageKey: string): Promise<PromotionPreview> {
  const response = await app.get<PromotionPreview>(`/api/v1/stages/${stageOf[stageKey]}/preview`);
  expect(response.status).toBe(200);
  return response.body;
}

const incidentGateOf = (gates: readonly Gate[]) => gates.find((gate) => gate.kind === 'incident');

describe('incidents', () => {
  it('derives the timeline from what happened on the affected stages and ranks the suspects', async () => {
    const detected = new Date(Date.now() - 5 * 60_000);
    const minutesBefore = (minutes: number) => new Date(detected.getTime() - minutes * 60_000);
    const old = await deployed('catalog-search/dev', 'catalog-search');
    await finishedAt(old.id, minutesBefore(100));
    const recent = await deployed('catalog-search/dev', 'catalog-search');
    await finishedAt(recent.id, minutesBefore(30));
    await setSandbox(app, [stageOf['fraud-scoring/dev']!], { failureRate: 1 });
    const failed = await deployed('fraud-scoring/dev', 'fraud-scoring');
    expect(failed.status).toBe('failed');
    await finishedAt(failed.id, minutesBefore(10));
    await setSandbox(app, [stageOf['fraud-scoring/dev']!]);
    const elsewhere = await deployed('inventory-sync/dev', 'inventory-sync');
    await finishedAt(elsewhere.id, minutesBefore(5));

    const created = await declare({
      title: 'Search returns nothing',
      severity: 'P2',
      summary: 'Empty results since the morning',
      stageIds: [stageOf['catalog-search/dev'], stageOf['fraud-scoring/dev']],
      detectedAt: detected.toISOString(),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const incident = created.body;
    expect(incident).toMatchObject({
      reference: `INC-${incident.number}`,
      status: 'investigating',
      severity: { key: 'P2', freezesProduction: false },
      freezingProduction: false,
      mttaSeconds: null,
    });

    // During the incident: a lock, a freeze on one affected service and one on another, a note.
    expect(
      (
        await app.admin.put(`/api/v1/stages/${stageOf['catalog-search/dev']}/lock`, {
          reason: 'Investigating search',
        })
      ).status,
    ).toBe(200);
    const window = {
      kind: 'oneoff',
      startsAt: new Date().toISOString(),
      endsAt: new Date(Date.now() + 3_600_000).toISOString(),
    };
    for (const service of ['catalog-search', 'checkout-api']) {
      const freeze = await app.admin.post('/api/v1/freezes', {
        scope: 'service',
        service,
        reason: `Hold ${service}`,
        window,
      });
      expect(freeze.status).toBe(201);
    }
    expect(
      (await app.admin.post(`/api/v1/incidents/${incident.id}/notes`, { body: 'Index looks empty' })).status,
    ).toBe(201);

    const timeline = (await app.get<IncidentTimeline>(`/api/v1/incidents/${incident.id}/timeline`)).body;
    const lines = timeline.items.map((item) => `${item.kind}: ${item.text}`);
    expect(lines).toContain(
      `deployment: Deploy of ${recent.release.version} to catalog-search/dev succeeded`,
    );
    expect(
      lines.some((line) =>
        line.startsWith(`deployment: Deploy of ${failed.release.version} to fraud-scoring/dev failed`),
      ),
    ).toBe(true);
    expect(lines).toContain('lock: catalog-search/dev locked: Investigating search');
    expect(lines).toContain('freeze: Freeze on catalog-search: Hold catalog-search');
    expect(lines).toContain('note: Index looks empty');
    // Not on an affected stage, or before the timeline starts (an hour before detection).
    expect(lines.join('\n')).not.toContain('checkout-api');
    expect(lines.join('\n')).not.toContain('inventory-sync');
    expect(lines.join('\n')).not.toContain(old.release.version);
    const times = timeline.items.map((item) => item.at);
    expect([...times].sort()).toEqual(times);

    const suspects = (
      await app.get<IncidentSuspects>(`/api/v1/incidents/${incident.id}/suspects?windowMinutes=120`)
    ).body;
    expect(suspects.items.map((item) => item.deployment.id)).toEqual([failed.id, recent.id, old.id]);
    expect(suspects.items[0]!.reasons).toEqual([
      'in development',
      'finished 10 minutes before detection',
      'failed',
    ]);
    expect(suspects.items[1]).toMatchObject({
      rank: 2,
      reasons: ['in development', 'finished 30 minutes before detection'],
      rollback: { possible: true },
    });
    expect(suspects.items[2]!.rollback).toMatchObject({
      possible: false,
      reason: `${old.release.version} no longer runs on catalog-search/dev (${recent.release.version} does)`,
    });
    // A narrower window leaves the older one out.
    const narrow = (
      await app.get<IncidentSuspects>(`/api/v1/incidents/${incident.id}/suspects?windowMinutes=60`)
    ).body;
    expect(narrow.items.map((item) => item.deployment.id)).toEqual([failed.id, recent.id]);

    await app.admin.delete(`/api/v1/stages/${stageOf['catalog-search/dev']}/lock`);

    // Rolling back a suspect from the incident: linked as cause and remediation, shown in the timeline.
    const notCurrent = await app.admin.post<WithError<Deployment>>(
      `/api/v1/incidents/${incident.id}/rollback`,
      {
        deploymentId: old.id,
        reason: 'older one',
      },
    );
    expect(notCurrent.status).toBe(409);
    expect(notCurrent.body.code).toBe('SUSPECT_NOT_CURRENT');
    const key = { 'Idempotency-Key': `incident-rollback-${incident.id}` };
    const rollback = await app.admin.post<WithError<Deployment>>(
      `/api/v1/incidents/${incident.id}/rollback`,
      { deploymentId: recent.id, reason: 'empty index' },
      { headers: key },
    );
    expect(rollback.status, JSON.stringify(rollback.body)).toBe(201);
    expect(rollback.body).toMatchObject({ kind: 'rollback', release: { id: old.release.id } });
    const again = await app.admin.post<Deployment>(
      `/api/v1/incidents/${incident.id}/rollback`,
      { deploymentId: recent.id, reason: 'empty index' },
      { headers: key },
    );
    expect(again.body.id).toBe(rollback.body.id);
    await waitForDeployment(app, rollback.body.id);
    const twice = await app.admin.post<WithError<Deployment>>(`/api/v1/incidents/${incident.id}/rollback`, {
      deploymentId: recent.id,
      reason: 'second click',
    });
    expect(twice.body.code).toBe('SUSPECT_NOT_CURRENT');

    const detail = (await app.get<Incident>(`/api/v1/incidents/${incident.id}`)).body;
    expect(detail.deployments.map((link) => [link.relation, link.deployment.id])).toEqual([
      ['cause', recent.id],
      ['remediation', rollback.body.id],
    ]);
    const after = (await app.get<IncidentTimeline>(`/api/v1/incidents/${incident.id}/timeline`)).body;
    const text = after.items.map((item) => `${item.kind}: ${item.text}`);
    expect(text).toContain(`link: Remediation: rollback of ${old.release.version} to catalog-search/dev`);
    expect(text).toContain(`rollback: Rollback to ${old.release.version} to catalog-search/dev succeeded`);
    const ranked = (await app.get<IncidentSuspects>(`/api/v1/incidents/${incident.id}/suspects`)).body;
    const top = ranked.items[0]!;
    expect(top.deployment.id).toBe(recent.id);
    expect(top.reasons[0]).toBe('marked as the cause');
    expect(top.remediation?.id).toBe(rollback.body.id);
    expect(top.rollback.possible).toBe(false);

    const audit = await sql(
      app.db.url,
      `SELECT action FROM audit_events WHERE target_type = 'incident' AND target_id = $1 ORDER BY id`,
      [incident.id],
    );
    expect(audit.map((row) => (row as { action: string }).action)).toEqual([
      'incident.declare',
      'incident.note',
      'incident.link_deployment',
      'incident.link_deployment',
    ]);

    const markdown = await app.get<string>(`/api/v1/incidents/${incident.id}/timeline.md`);
    expect(markdown.status).toBe(200);
    expect(markdown.headers.get('content-type')).toMatch(/^text\/markdown/);
  }, 90_000);

  it('freezes promotions to production for a severe incident, lets rollbacks through, lifts on resolve', async () => {
    expect(incidentGateOf((await preview('checkout-api/production')).gates)).toMatchObject({
      state: 'pass',
      message: 'No open incident freezes production for checkout-api',
    });
    // A P3 does not freeze production.
    const minor = await declare({
      title: 'Slow admin page',
      severity: 'P3',
      stageIds: [stageOf['checkout-api/staging']],
    });
    expect(minor.status).toBe(201);
    expect(incidentGateOf((await preview('checkout-api/production')).gates)?.state).toBe('pass');

    const created = await declare({
      title: 'Checkout fails for card payments',
      severity: 'P1',
      stageIds: [stageOf['checkout-api/staging']],
    });
    expect(created.status).toBe(201);
    const incident = created.body;
    const gate = incidentGateOf((await preview('checkout-api/production')).gates);
    expect(gate).toMatchObject({
      state: 'fail',
      message: `${incident.reference} (P1 High) "Checkout fails for card payments" is open: promotions of checkout-api to production wait until it is resolved`,
      link: { label: incident.reference, href: `/incidents/${incident.id}` },
    });
    // Other services' production is not frozen.
    expect(incidentGateOf((await preview('payments-service/production')).gates)?.state).toBe('pass');
    const blocked = await deploy(app, { stageId: stageOf['checkout-api/production']! });
    expect(blocked.status).toBe(409);
    expect(incidentGateOf((blocked.body.details as { gates: Gate[] }).gates)?.state).toBe('fail');

    const rollback = await app.admin.post<WithError<Deployment>>(
      `/api/v1/stages/${stageOf['checkout-api/production']}/rollback`,
      { reason: 'back to what worked' },
    );
    expect(rollback.status, JSON.stringify(rollback.body)).toBe(201);
    await app.admin.delete(`/api/v1/stages/${stageOf['checkout-api/production']}/hold`);

    // Status moves forward only, by the commander or an approver.
    const deployer = await app.userWith('deployer');
    const refused = await deployer.post<WithError<Incident>>(`/api/v1/incidents/${incident.id}/status`, {
      status: 'resolved',
    });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('NOT_INCIDENT_COMMANDER');
    expect(
      (await deployer.post(`/api/v1/incidents/${incident.id}/notes`, { body: 'Seeing 502s' })).status,
    ).toBe(201);
    const identified = await app.admin.post<Incident>(`/api/v1/incidents/${incident.id}/status`, {
      status: 'identified',
    });
    expect(identified.status).toBe(200);
    expect(identified.body.acknowledgedAt).not.toBeNull();
    expect(identified.body.mttaSeconds).not.toBeNull();
    const backwards = await app.admin.post<WithError<Incident>>(`/api/v1/incidents/${incident.id}/status`, {
      status: 'investigating',
    });
    expect(backwards.status).toBe(409);
    expect(backwards.body.code).toBe('INCIDENT_TRANSITION_INVALID');

    // Two people resolve at once: one wins, the other is told it is already resolved.
    const [one, other] = await Promise.all(
      [1, 2].map(() =>
        app.admin.post<WithError<Incident>>(`/api/v1/incidents/${incident.id}/status`, {
          status: 'resolved',
          note: 'Card processor fixed',
        }),
      ),
    );
    expect([one!.status, other!.status].sort()).toEqual([200, 409]);
    const resolved = one!.status === 200 ? one! : other!;
    expect(resolved.body).toMatchObject({ status: 'resolved', freezingProduction: false, nextStatuses: [] });
    expect(resolved.body.mttrSeconds).not.toBeNull();
    expect(incidentGateOf((await preview('checkout-api/production')).gates)?.state).toBe('pass');

    // The threshold is per severity, set by admins: now P3 freezes too.
    const changed = await app.admin.patch<{ freezesProduction: boolean }>('/api/v1/incident-severities/P3', {
      freezesProduction: true,
    });
    expect(changed.body.freezesProduction).toBe(true);
    expect(
      (await deployer.patch('/api/v1/incident-severities/P3', { freezesProduction: false })).status,
    ).toBe(403);
    expect(incidentGateOf((await preview('checkout-api/production')).gates)).toMatchObject({
      state: 'fail',
      link: { href: `/incidents/${minor.body.id}` },
    });
    await app.admin.patch('/api/v1/incident-severities/P3', { freezesProduction: false });
  }, 90_000);

  it('declares once per Idempotency-Key, from a deployment, and refuses bad input naming the field', async () => {
    const suspect = await deployed('inventory-sync/dev', 'inventory-sync');
    const headers = { 'Idempotency-Key': `declare-${suspect.id}` };
    const body = { title: 'Sync stuck', severity: 'P2', deploymentId: suspect.id };
    const first = await declare(body, headers);
    expect(first.status).toBe(201);
    expect(first.body.stages.map((stage) => stage.stageId)).toEqual([stageOf['inventory-sync/dev']]);
    expect(first.body.deployments).toMatchObject([{ relation: 'suspect', deployment: { id: suspect.id } }]);
    const second = await declare(body, headers);
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body.id).toBe(first.body.id);

    // Two clicks with different keys: the stage lock serialises them and the second is refused.
    const clicks = await Promise.all(
      ['first', 'second'].map((click) =>
        app.admin.post<WithError<Deployment>>(`/api/v1/incidents/${first.body.id}/rollback`, {
          deploymentId: suspect.id,
          reason: `${click} click`,
        }),
      ),
    );
    expect(clicks.map((click) => click.status).sort()).toEqual([201, 409]);
    expect(clicks.find((click) => click.status === 409)!.body.code).toMatch(
      /^(SUSPECT_ALREADY_ROLLED_BACK|SUSPECT_NOT_CURRENT|DEPLOYMENT_IN_PROGRESS)$/,
    );
    const links = (await app.get<Incident>(`/api/v1/incidents/${first.body.id}`)).body.deployments;
    expect(links.filter((link) => link.relation === 'remediation')).toHaveLength(1);

    const badSeverity = await declare({ title: 'Something', severity: 'SEV9' });
    expect(badSeverity.status).toBe(400);
    expect(badSeverity.body.code).toBe('UNKNOWN_SEVERITY');
    const future = await declare({
      title: 'Something',
      severity: 'P2',
      detectedAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(future.status).toBe(400);
    expect(future.body.message).toContain('detectedAt');
    const viewer = await app.userWith('viewer');
    expect((await viewer.post('/api/v1/incidents', { title: 'Nope', severity: 'P2' })).status).toBe(403);

    const list = await app.get<{ items: Incident[] }>('/api/v1/incidents?status=open');
    expect(list.body.items.some((item) => item.id === first.body.id)).toBe(true);
  }, 90_000);

  it('refuses a severity whose key or rank is taken with 409, naming the field in the details', async () => {
    const body = { key: 'SEV9', rank: 9, name: 'Cosmetic', expectedResponseMinutes: 1440 };
    type Taken = { code: string; message: string; details?: { field: string; issues: unknown[] } };
    expect((await app.admin.post('/api/v1/incident-severities', body)).status).toBe(201);

    const sameKey = await app.admin.post<Taken>('/api/v1/incident-severities', { ...body, rank: 10 });
    expect(sameKey.status).toBe(409);
    expect(sameKey.body).toMatchObject({
      code: 'SEVERITY_EXISTS',
      details: { field: 'key', issues: [{ field: 'key', message: 'SEV9 is already a severity' }] },
    });
    const sameRank = await app.admin.post<Taken>('/api/v1/incident-severities', { ...body, key: 'SEV10' });
    expect(sameRank.status).toBe(409);
    expect(sameRank.body.details).toEqual({
      field: 'rank',
      issues: [{ field: 'rank', message: 'rank 9 is already taken by SEV9' }],
    });
  });
});
