import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql as sqlAt } from '../support/sql.js';
import { stageIds, startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
let stageOf: Record<string, string> = {};

beforeAll(async () => {
  app = await startTestApp();
  stageOf = await stageIds(app);
});

afterAll(async () => {
  await app?.close();
});

const sql = (query: string, values: unknown[] = []) => sqlAt(app.db.url, query, values);

const lock = (key: string) => `/api/v1/stages/${stageOf[key]}/lock`;

describe('object-level access', () => {
  it('lets a team-scoped deployer act on their team’s services only, and audits the refusal', async () => {
    const payments = await app.userWith('viewer', { teams: [{ slug: 'payments', role: 'deployer' }] });
    expect(
      (await payments.put(lock('payments-service/staging'), { reason: 'card network test' })).status,
    ).toBe(200);
    expect((await payments.delete(lock('payments-service/staging'))).status).toBe(200);
    expect(
      (await payments.patch('/api/v1/services/fraud-scoring', { description: 'Scores orders' })).status,
    ).toBe(200);

    const other = await payments.put(lock('checkout-api/staging'), { reason: 'not my service' });
    expect(other.status).toBe(403);
    expect(other.body).toMatchObject({
      code: 'FORBIDDEN',
      message: 'Your role on checkout-api is viewer, which does not allow deployments:write',
    });
    expect((await payments.patch('/api/v1/services/checkout-api', { description: 'hijacked' })).status).toBe(
      403,
    );
    const checkout = (await app.get<{ description: string }>('/api/v1/services/checkout-api')).body;
    expect(checkout.description).not.toBe('hijacked');

    const denied = await sql(
      `SELECT action, outcome, target_type, reason FROM audit_events WHERE action = 'access.denied' AND target_id = $1`,
      [stageOf['checkout-api/staging']],
    );
    expect(denied).toEqual([
      {
        action: 'access.denied',
        outcome: 'denied',
        target_type: 'stage',
        reason: expect.stringContaining('deployments:write') as unknown,
      },
    ]);
  });

  it('narrows an environment to granted teams and people; admins are never narrowed', async () => {
    const payments = await app.userWith('viewer', { teams: [{ slug: 'payments', role: 'deployer' }] });
    const globalDeployer = await app.userWith('deployer');
    const named = await app.userWith('deployer');
    const namedId = (await named.get<{ id: string }>('/api/v1/me')).body.id;

    // Before any grant: every deployer may lock production.
    expect(
      (await globalDeployer.put(lock('checkout-api/production'), { reason: 'before grants' })).status,
    ).toBe(200);
    await globalDeployer.delete(lock('checkout-api/production'));

    const byTeam = await app.admin.post<{ id: string }>('/api/v1/environments/production/grants', {
      action: 'deploy',
      teamSlug: 'payments',
    });
    expect(byTeam.status).toBe(201);
    expect(
      (await app.admin.post('/api/v1/environments/production/grants', { action: 'deploy', userId: namedId }))
        .status,
    ).toBe(201);
    const duplicate = await app.admin.post('/api/v1/environments/production/grants', {
      action: 'deploy',
      teamSlug: 'payments',
    });
    expect(duplicate.body).toMatchObject({ code: 'GRANT_EXISTS' });

    expect((await payments.put(lock('payments-service/production'), { reason: 'granted team' })).status).toBe(
      200,
    );
    expect((await named.put(lock('checkout-api/production'), { reason: 'granted person' })).status).toBe(200);
    const narrowed = await globalDeployer.put(lock('inventory-sync/production'), { reason: 'not granted' });
    expect(narrowed.status).toBe(403);
    expect((narrowed.body as { message: string }).message).toContain(
      'Only granted people and teams may deploy in production',
    );
    // Narrowing is per environment: staging is still open to every deployer.
    expect(
      (await globalDeployer.put(lock('inventory-sync/staging'), { reason: 'staging is open' })).status,
    ).toBe(200);
    expect(
      (await app.admin.put(lock('inventory-sync/production'), { reason: 'admins always can' })).status,
    ).toBe(200);

    expect((await app.admin.delete(`/api/v1/environment-grants/${byTeam.body.id}`)).status).toBe(200);
    expect(
      (await payments.put(lock('payments-service/production'), { reason: 'grant removed' })).status,
    ).toBe(403);
  });
});

describe('administration keeps someone in charge and writes everything down', () => {
  it('refuses to demote or disable the last admin, and leaves no trace of the refused change', async () => {
    const me = (await app.admin.get<{ id: string }>('/api/v1/me')).body;
    const before = await sql(`SELECT count(*)::int AS n FROM audit_events`);
    const demote = await app.admin.patch(`/api/v1/users/${me.id}`, { role: 'viewer' });
    expect(demote.status).toBe(409);
    expect(demote.body).toMatchObject({ code: 'LAST_ADMIN' });
    expect((await app.admin.patch(`/api/v1/users/${me.id}`, { disabled: true })).body).toMatchObject({
      code: 'CANNOT_DISABLE_SELF',
    });
    const after = await sql(`SELECT count(*)::int AS n FROM audit_events`);
    expect(after[0]!.n).toBe(before[0]!.n);
    expect((await app.admin.get<{ role: string }>('/api/v1/me')).body.role).toBe('admin');
  });

  it('records each change with its actor, target and before/after', async () => {
    const created = await app.admin.post<{ id: string }>('/api/v1/users', {
      email: 'Release.Manager@Flightdeck.test',
      name: 'Rhea',
      role: 'deployer',
      password: 'a long enough password',
    });
    expect(created.body).toMatchObject({ email: 'release.manager@flightdeck.test' });
    await app.admin.patch(`/api/v1/users/${created.body.id}`, { role: 'approver' });
    const rows = await sql(
      `SELECT actor_type, actor_name, action, before->>'role' AS before, after->>'role' AS after, ip, user_agent
       FROM audit_events WHERE target_id = $1 ORDER BY id`,
      [created.body.id],
    );
    expect(rows).toEqual([
      expect.objectContaining({
        actor_type: 'user',
        actor_name: 'admin@flightdeck.test',
        action: 'user.create',
        before: null,
        after: 'deployer',
      }),
      expect.objectContaining({ action: 'user.update', before: 'deployer', after: 'approver' }),
    ]);
    expect(rows[0]!.ip).toMatch(/127\.0\.0\.1/);
    expect(rows[0]!.user_agent).toBeTruthy();
    const duplicate = await app.admin.post('/api/v1/users', {
      email: 'release.manager@flightdeck.test',
      name: 'Again',
      password: 'a long enough password',
    });
    expect(duplicate.status).toBe(409);
  });
});
