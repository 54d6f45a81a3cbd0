import type { ApprovalRequest, Deployment } from '@flightdeck/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setSandbox, waitForDeployment } from '../support/deployments.js';
import { HttpClient } from '../support/http-client.js';
import { sql } from '../support/sql.js';
import { stageIds, startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
let stageOf: Record<string, string> = {};
let requester: HttpClient;

beforeAll(async () => {
  app = await startTestApp({ env: { FLIGHTDECK_RUNNER_INTERVAL_MS: '100' } });
  stageOf = await stageIds(app);
  await setSandbox(app, Object.values(stageOf));
  requester = await app.userWith('deployer');
});

afterAll(async () => {
  await app?.close();
});

// A redeploy of what runs there under a stage policy: only the policy stands in the way.
async function request(key: string, policy: Record<string, unknown>) {
  const stageId = stageOf[key]!;
  await app.admin.delete(`/api/v1/stages/${stageId}/lock`);
  expect((await app.admin.put(`/api/v1/stages/${stageId}/policy`, policy)).status).toBe(200);
  const [state] = await sql(
    app.db.url,
    `SELECT s.current_release_id, r.version, r.commit_sha FROM stage_states s
       JOIN releases r ON r.id = s.current_release_id WHERE s.stage_id = $1`,
    [stageId],
  );
  const created = await requester.post<Deployment>('/api/v1/deployments', {
    stageId,
    releaseId: state!.current_release_id,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return { id: created.body.id, version: state!.version as string, sha: state!.commit_sha as string };
}

const history = async (id: string) =>
  (await app.get<ApprovalRequest>(`/api/v1/deployments/${id}/approval`)).body.approvals;

describe('approval history on a deployment', () => {
  it('keeps who approved, how, for which release and commit, after the deployment succeeded', async () => {
    const { id, version, sha } = await request('checkout-api/production', {
      requiredApprovals: 1,
      expiryMinutes: 60,
    });
    const approver = await app.userWith('approver');
    const token = await approver.post<{ token: string }>('/api/v1/me/tokens', {
      name: 'bot',
      scopes: ['approve'],
    });
    const bot = new HttpClient(app.url, { bearer: token.body.token, sendOrigin: false });
    expect((await bot.post(`/api/v1/deployments/${id}/approve`, { comment: 'from chat' })).status).toBe(200);
    expect((await waitForDeployment(app, id)).status).toBe('succeeded');
    // An hour later the approval has expired, but it counted when the deployment started.
    await sql(
      app.db.url,
      `UPDATE approvals SET created_at = created_at - interval '2 hours' WHERE deployment_id = $1`,
      [id],
    );
    await sql(app.db.url, `UPDATE deployments SET queued_at = queued_at - interval '2 hours' WHERE id = $1`, [
      id,
    ]);
    expect(await history(id)).toEqual([
      expect.objectContaining({
        decision: 'approve',
        comment: 'from chat',
        via: 'token',
        releaseVersion: version,
        commitSha: sha,
        valid: true,
        notCounted: null,
      }),
    ]);
  });

  it('shows on a rejected deployment that an earlier approval had expired, and the rejection', async () => {
    const { id } = await request('payments-service/production', { requiredApprovals: 2, expiryMinutes: 30 });
    const first = await app.userWith('approver');
    const second = await app.userWith('approver');
    expect((await first.post(`/api/v1/deployments/${id}/approve`, { comment: 'ok' })).status).toBe(200);
    await sql(
      app.db.url,
      `UPDATE approvals SET created_at = created_at - interval '1 hour' WHERE deployment_id = $1`,
      [id],
    );
    const rejected = await second.post(`/api/v1/deployments/${id}/reject`, { comment: 'error budget spent' });
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
    expect((await waitForDeployment(app, id)).status).toBe('rejected');
    const decisions = await history(id);
    expect(decisions.map((d) => [d.decision, d.via, d.valid, d.notCounted, d.comment])).toEqual([
      ['approve', 'session', false, 'expired', 'ok'],
      ['reject', 'session', false, null, 'error budget spent'],
    ]);
  });
});
