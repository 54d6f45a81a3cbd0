import type { Deployment } from '@flightdeck/contracts';
import { startFakeNotificationReceiver, type FakeNotificationReceiver } from '@flightdeck/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setSandbox, waitForDeployment } from '../support/deployments.js';
import { openEventStream } from '../support/sse.js';
import { sql } from '../support/sql.js';
import { stageIds, startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
let receiver: FakeNotificationReceiver;
let stageOf: Record<string, string> = {};
let n = 0;

beforeAll(async () => {
  app = await startTestApp({ env: { FLIGHTDECK_RUNNER_INTERVAL_MS: '100' } });
  receiver = await startFakeNotificationReceiver();
  stageOf = await stageIds(app);
  await setSandbox(app, Object.values(stageOf));
});

afterAll(async () => {
  await app?.close();
  await receiver?.close();
});

async function person(role: 'viewer' | 'deployer' | 'approver' | 'admin', teams: string[] = []) {
  const email = `${role}-${++n}-${Date.now()}@flightdeck.test`;
  const client = await app.userWith(role, {
    email,
    teams: teams.map((slug) => ({ slug, role: 'viewer' as const })),
  });
  const [row] = await sql(app.db.url, 'SELECT id FROM users WHERE email = $1', [email]);
  return { email, client, id: String(row!.id) };
}

describe('approval notifications', () => {
  it('names exactly the eligible approvers when a deployment starts waiting, tells their open pages, and records the decision', async () => {
    const key = 'checkout-api/production';
    const requester = await person('approver', ['payments']);
    const inTeam = await person('approver', ['payments']);
    const named = await person('approver');
    const notListed = await person('approver');
    const namedViewer = await person('viewer');
    // The built-in admin is not listed either: roles are empty, so only the team and the named users count.
    const policy = await app.admin.put(`/api/v1/stages/${stageOf[key]}/policy`, {
      requiredApprovals: 1,
      approvers: { roles: [], teams: ['payments'], users: [named.email, namedViewer.email] },
      selfApprovalBanned: true,
    });
    expect(policy.status, JSON.stringify(policy.body)).toBe(200);
    const channel = await app.admin.post<{ id: string }>('/api/v1/notification-channels', {
      kind: 'slack',
      name: 'approvals',
      url: `${receiver.url}/slack/approvals`,
      eventTypes: ['approval.requested', 'approval.decided'],
    });
    expect(channel.status, JSON.stringify(channel.body)).toBe(201);
    const stream = await openEventStream(inTeam.client);

    await app.admin.delete(`/api/v1/stages/${stageOf[key]}/lock`);
    const [state] = await sql(app.db.url, 'SELECT current_release_id FROM stage_states WHERE stage_id = $1', [
      stageOf[key],
    ]);
    const created = await requester.client.post<Deployment>('/api/v1/deployments', {
      stageId: stageOf[key],
      releaseId: state!.current_release_id,
      reason: 'hotfix',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.status).toBe('pending');

    const events = await sql(
      app.db.url,
      `SELECT payload FROM notification_events WHERE deployment_id = $1 AND type = 'approval.requested'`,
      [created.body.id],
    );
    expect(events).toHaveLength(1);
    const payload = events[0]!.payload as {
      requiredApprovals: number;
      approvers: { id: string; email: string }[];
    };
    expect(payload.requiredApprovals).toBe(1);
    expect(payload.approvers.map((a) => a.email).sort()).toEqual([inTeam.email, named.email].sort());
    expect(payload.approvers.map((a) => a.id).sort()).toEqual([inTeam.id, named.id].sort());
    expect(payload.approvers.map((a) => a.email)).not.toContain(notListed.email);

    const live = await stream.next((message) => message.event === 'approval.requested', 10_000);
    expect(JSON.parse(live.data)).toMatchObject({ deploymentId: created.body.id });
    expect((JSON.parse(live.data) as { approverIds: string[] }).approverIds.sort()).toEqual(
      [inTeam.id, named.id].sort(),
    );
    stream.close();
    await receiver.waitFor(() =>
      receiver.requests.some(
        (r) => r.event === 'approval.requested' && JSON.stringify(r.json).includes(named.email),
      ),
    );

    const approved = await named.client.post(`/api/v1/deployments/${created.body.id}/approve`, {
      comment: 'ship it',
    });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect((await waitForDeployment(app, created.body.id)).status).toBe('succeeded');
    const decided = await sql(
      app.db.url,
      `SELECT payload FROM notification_events WHERE deployment_id = $1 AND type = 'approval.decided'`,
      [created.body.id],
    );
    expect(decided.map((row) => row.payload)).toMatchObject([
      { decision: { decision: 'approve', by: named.email, comment: 'ship it' } },
    ]);
    await receiver.waitFor(() =>
      receiver.requests.some(
        (r) => r.event === 'approval.decided' && (r.json as { text: string }).text.includes(named.email),
      ),
    );
  });

  it('records a rollback request and the hold it sets, once each', async () => {
    const key = 'web-storefront/dev';
    await app.admin.delete(`/api/v1/stages/${stageOf[key]}/lock`);
    const rollback = await app.admin.post<Deployment>(`/api/v1/stages/${stageOf[key]}/rollback`, {
      reason: 'bad release',
    });
    expect(rollback.status, JSON.stringify(rollback.body)).toBe(201);
    const rows = await sql(
      app.db.url,
      `SELECT type, payload FROM notification_events WHERE deployment_id = $1 AND type IN ('rollback.requested', 'hold.set') ORDER BY type`,
      [rollback.body.id],
    );
    expect(rows.map((row) => row.type)).toEqual(['hold.set', 'rollback.requested']);
    expect(rows[0]!.payload).toMatchObject({ hold: { reason: 'bad release' } });
  });
});
