import type { ApprovalRequest, Deployment } from '@flightdeck/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setSandbox, waitForDeployment } from '../support/deployments.js';
import { HttpClient } from '../support/http-client.js';
import { sql } from '../support/sql.js';
import { stageIds, startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
let stageOf: Record<string, string> = {};
let requesterEmail: string;
let requester: HttpClient;
let n = 0;

beforeAll(async () => {
  app = await startTestApp({ env: { FLIGHTDECK_RUNNER_INTERVAL_MS: '100' } });
  stageOf = await stageIds(app);
  await setSandbox(app, Object.values(stageOf));
  requesterEmail = `requester-${Date.now()}@flightdeck.test`;
  // An approver who requests: the ban, not the role, is what stops them approving their own.
  requester = await app.userWith('approver', { email: requesterEmail });
});

afterAll(async () => {
  await app?.close();
});

type Answer = ApprovalRequest & { code?: string; message?: string; details?: unknown };

async function person(role: 'viewer' | 'deployer' | 'approver' | 'admin', teams: string[] = []) {
  const email = `${role}-${++n}-${Date.now()}@flightdeck.test`;
  const client = await app.userWith(role, {
    email,
    teams: teams.map((slug) => ({ slug, role: 'approver' as const })),
  });
  return { email, client };
}

async function policy(key: string, body: Record<string, unknown>) {
  const response = await app.admin.put(`/api/v1/stages/${stageOf[key]}/policy`, body);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
}

// A redeploy of what runs there: no upstream gate, so only the policy stands in the way.
async function request(key: string): Promise<Deployment> {
  // The demo locks a stage or two; these tests are about approvals.
  await app.admin.delete(`/api/v1/stages/${stageOf[key]}/lock`);
  const [state] = await sql(app.db.url, 'SELECT current_release_id FROM stage_states WHERE stage_id = $1', [
    stageOf[key],
  ]);
  const created = await requester.post<Deployment>('/api/v1/deployments', {
    stageId: stageOf[key],
    releaseId: state!.current_release_id,
    reason: 'needs approval',
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect(created.body.status).toBe('pending');
  return created.body;
}

const approve = (client: HttpClient, id: string, comment = 'looks good') =>
  client.post<Answer>(`/api/v1/deployments/${id}/approve`, { comment });
const reject = (client: HttpClient, id: string, body: unknown) =>
  client.post<Answer>(`/api/v1/deployments/${id}/reject`, body);
const detail = async (client: HttpClient, id: string) =>
  (await client.get<ApprovalRequest>(`/api/v1/deployments/${id}/approval`)).body;
const gateOf = (request: ApprovalRequest) => request.gates.find((gate) => gate.kind === 'approvals');

describe('approvals', () => {
  it('waits for N of M approvals, bans the requester, allows one decision per person, and the last approval starts it', async () => {
    await policy('checkout-api/production', { requiredApprovals: 2 });
    const preview = await app.get<{ gates: { kind: string; state: string; message: string }[] }>(
      `/api/v1/stages/${stageOf['checkout-api/production']}/preview`,
    );
    expect(preview.body.gates.find((gate) => gate.kind === 'approvals')).toMatchObject({
      state: 'waiting',
      message: 'Needs 2 approvals from anyone who may approve there',
    });
    const deployment = await request('checkout-api/production');
    const first = await person('approver');
    const second = await person('approver');

    const own = await approve(requester, deployment.id);
    expect(own.status).toBe(403);
    expect(own.body.code).toBe('SELF_APPROVAL_FORBIDDEN');
    expect(own.body.message).toContain('You requested this deployment');

    const one = await approve(first.client, deployment.id, 'checked the diff');
    expect(one.status, JSON.stringify(one.body)).toBe(200);
    expect(one.body.deployment.status).toBe('pending');
    expect(one.body).toMatchObject({ approved: 1, required: 2, canDecide: false });
    expect(gateOf(one.body)).toMatchObject({
      state: 'waiting',
      message: `1 of 2 approvals (${first.email}); the requester cannot approve`,
    });
    // The requester's own read says "you".
    const mine = await detail(requester, deployment.id);
    expect(gateOf(mine)!.message).toBe(
      `1 of 2 approvals (${first.email}); you cannot approve your own deployment`,
    );
    expect(mine.canDecide).toBe(false);
    expect(mine.whyNot).toContain('You requested this deployment');
    const inbox = await second.client.get<{ items: ApprovalRequest[] }>('/api/v1/approvals?scope=mine');
    expect(inbox.body.items.map((item) => item.deployment.id)).toContain(deployment.id);
    const requesterInbox = await requester.get<{ items: ApprovalRequest[] }>('/api/v1/approvals?scope=mine');
    expect(requesterInbox.body.items.map((item) => item.deployment.id)).not.toContain(deployment.id);

    const again = await approve(first.client, deployment.id);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ALREADY_DECIDED');

    const two = await approve(second.client, deployment.id);
    expect(two.status, JSON.stringify(two.body)).toBe(200);
    expect(two.body.deployment.status).not.toBe('pending');
    expect(two.body.approvals.map((a) => [a.by, a.valid, a.commitSha])).toEqual([
      [first.email, true, deployment.release.commitSha],
      [second.email, true, deployment.release.commitSha],
    ]);
    const done = await waitForDeployment(app, deployment.id);
    expect(done.status).toBe('succeeded');

    const audit = await sql(
      app.db.url,
      `SELECT action, actor_name, outcome FROM audit_events WHERE target_id = $1 ORDER BY id`,
      [deployment.id],
    );
    expect(audit.map((row) => `${String(row.action)}:${String(row.actor_name)}`)).toEqual(
      expect.arrayContaining([
        `access.denied:${requesterEmail}`,
        `approval.approve:${first.email}`,
        `approval.approve:${second.email}`,
        `deployment.queued:${second.email}`,
      ]),
    );
    const late = await approve((await person('approver')).client, deployment.id);
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('DEPLOYMENT_NOT_AWAITING_APPROVAL');
    expect(late.body.message).toContain('succeeded');
  });

  it("bans the release's author", async () => {
    const author = await person('approver');
    await policy('checkout-api/preview', { requiredApprovals: 1 });
    const release = await app.admin.post<{ id: string; author: string | null }>('/api/v1/releases', {
      service: 'checkout-api',
      version: `author-${Date.now()}`,
      commitSha: 'abcdef1234567',
      author: author.email.toUpperCase(),
    });
    expect(release.status, JSON.stringify(release.body)).toBe(201);
    expect(release.body.author).toBe(author.email);
    const created = await requester.post<Deployment>('/api/v1/deployments', {
      stageId: stageOf['checkout-api/preview'],
      releaseId: release.body.id,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.status).toBe('pending');
    const refused = await approve(author.client, created.body.id);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('SELF_APPROVAL_FORBIDDEN');
    expect(refused.body.message).toContain('You wrote this release');
    const gate = gateOf(await detail(app.admin, created.body.id));
    expect(gate!.message).toBe("0 of 1 approvals; the requester and the release's author cannot approve");
  });

  it('counts approvals from distinct teams once per team', async () => {
    await policy('payments-service/production', {
      requiredApprovals: 2,
      distinctTeams: true,
      approvers: { teams: ['commerce', 'payments'] },
    });
    const deployment = await request('payments-service/production');
    const a = await person('viewer', ['commerce']);
    const b = await person('viewer', ['commerce']);
    const c = await person('viewer', ['payments']);
    const outsider = await person('approver');
    const refused = await approve(outsider.client, deployment.id);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('NOT_AN_APPROVER');
    expect(refused.body.message).toBe('Only team commerce or team payments may decide on this deployment');
    // Team approvers of commerce have no say on payments' service unless their role allows it there.
    expect((await approve(a.client, deployment.id)).status).toBe(403);
    await sql(app.db.url, `UPDATE users SET role = 'approver' WHERE email = ANY($1::text[])`, [
      [a.email, b.email, c.email],
    ]);
    const one = await approve(a.client, deployment.id);
    expect(one.status, JSON.stringify(one.body)).toBe(200);
    const two = await approve(b.client, deployment.id);
    expect(two.body).toMatchObject({ approved: 1, required: 2 });
    expect(gateOf(two.body)!.message).toContain('1 of 2 approvals from distinct teams');
    expect(two.body.approvals.map((x) => x.team)).toEqual(['commerce', 'commerce']);
    const three = await approve(c.client, deployment.id);
    expect(three.status).toBe(200);
    expect(three.body.approved).toBe(2);
    expect(three.body.deployment.status).not.toBe('pending');
  });

  it('stops counting expired approvals and approvals for another release or commit', async () => {
    await policy('web-storefront/production', { requiredApprovals: 2, expiryMinutes: 60 });
    const deployment = await request('web-storefront/production');
    const a = await person('approver');
    const b = await person('approver');
    const c = await person('approver');
    expect((await approve(a.client, deployment.id)).body.approved).toBe(1);
    await sql(
      app.db.url,
      `UPDATE approvals SET created_at = now() - interval '61 minutes' WHERE deployment_id = $1`,
      [deployment.id],
    );
    const afterExpiry = await approve(b.client, deployment.id);
    expect(afterExpiry.status).toBe(200);
    expect(afterExpiry.body.approved).toBe(1);
    expect(afterExpiry.body.deployment.status).toBe('pending');
    expect(afterExpiry.body.approvals.map((x) => x.valid)).toEqual([false, true]);

    // An approval given for another commit is not an approval of this one.
    await sql(app.db.url, `UPDATE approvals SET commit_sha = 'fedcba9876543' WHERE email = $1`, [b.email]);
    expect((await detail(app.admin, deployment.id)).approved).toBe(0);
    const third = await approve(c.client, deployment.id);
    expect(third.body.approved).toBe(1);
    expect(third.body.deployment.status).toBe('pending');
  });

  it('rejects with a required comment, and nobody can decide afterwards', async () => {
    await policy('catalog-search/production', { requiredApprovals: 2, reasonRequiredToApprove: true });
    const deployment = await request('catalog-search/production');
    const a = await person('approver');
    const noReason = await approve(a.client, deployment.id, '');
    expect(noReason.status).toBe(400);
    expect(JSON.stringify(noReason.body.details)).toContain('comment');
    const bare = await reject(a.client, deployment.id, {});
    expect(bare.status).toBe(400);
    expect(JSON.stringify(bare.body.details)).toContain('comment');
    const rejected = await reject(a.client, deployment.id, { comment: 'migration not reviewed' });
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
    expect(rejected.body.deployment.status).toBe('rejected');
    const full = await app.get<{ events: { toStatus: string; message: string }[]; error: string }>(
      `/api/v1/deployments/${deployment.id}`,
    );
    expect(full.body.events.at(-1)).toMatchObject({
      toStatus: 'rejected',
      message: `Rejected by ${a.email}: migration not reviewed`,
    });
    const late = await approve((await person('approver')).client, deployment.id);
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('DEPLOYMENT_NOT_AWAITING_APPROVAL');
    expect(late.body.message).toContain('rejected');
  });

  it('refuses viewers and deployers, and takes an approve-scoped token like a session', async () => {
    await policy('identity-gateway/production', { requiredApprovals: 1 });
    const deployment = await request('identity-gateway/production');
    for (const role of ['viewer', 'deployer'] as const) {
      const refused = await approve((await person(role)).client, deployment.id);
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('FORBIDDEN');
    }
    const chatops = await person('approver');
    const token = await chatops.client.post<{ token: string }>('/api/v1/me/tokens', {
      name: 'chat-ops',
      scopes: ['approve'],
    });
    expect(token.status, JSON.stringify(token.body)).toBe(201);
    const bot = new HttpClient(app.url, { bearer: token.body.token, sendOrigin: false });
    const approved = await approve(bot, deployment.id, 'approved from chat');
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.approvals[0]).toMatchObject({ by: chatops.email, via: 'token', valid: true });
    expect(approved.body.deployment.status).not.toBe('pending');
  });

  it('counts two simultaneous approvals and queues the deployment exactly once', async () => {
    await policy('notifications-worker/production', { requiredApprovals: 2 });
    const deployment = await request('notifications-worker/production');
    const [a, b] = await Promise.all([person('approver'), person('approver')]);
    const answers = await Promise.all([approve(a.client, deployment.id), approve(b.client, deployment.id)]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    const stored = await sql(app.db.url, 'SELECT email FROM approvals WHERE deployment_id = $1', [
      deployment.id,
    ]);
    expect(stored.map((row) => row.email).sort()).toEqual([a.email, b.email].sort());
    await waitForDeployment(app, deployment.id);
    const queued = await sql(
      app.db.url,
      `SELECT count(*)::int AS count FROM deployment_events WHERE deployment_id = $1 AND to_status = 'queued' AND from_status = 'pending'`,
      [deployment.id],
    );
    expect(queued[0]!.count).toBe(1);
  });

  it('answers 409 for a deployment that needs no approval, and 404 for none', async () => {
    const [state] = await sql(app.db.url, 'SELECT current_release_id FROM stage_states WHERE stage_id = $1', [
      stageOf['inventory-sync/staging'],
    ]);
    const created = await requester.post<Deployment>('/api/v1/deployments', {
      stageId: stageOf['inventory-sync/staging'],
      releaseId: state!.current_release_id,
    });
    const answer = await approve((await person('approver')).client, created.body.id);
    expect(answer.status).toBe(409);
    expect(answer.body.code).toBe('DEPLOYMENT_NOT_AWAITING_APPROVAL');
    const missing = await approve(app.admin, '00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
  });
});
