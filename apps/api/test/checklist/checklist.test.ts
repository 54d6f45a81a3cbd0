import type { Deployment, DeploymentDetail, Gate, StageChecklist } from '@flightdeck/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDeployment, setSandbox, waitForDeployment } from '../support/deployments.js';
import type { HttpClient } from '../support/http-client.js';
import { sql } from '../support/sql.js';
import { stageIds, startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
let stageOf: Record<string, string> = {};
let requesterEmail: string;
let requester: HttpClient;

const KEY = 'inventory-sync/staging';

beforeAll(async () => {
  app = await startTestApp({ env: { FLIGHTDECK_RUNNER_INTERVAL_MS: '100' } });
  stageOf = await stageIds(app);
  await setSandbox(app, Object.values(stageOf));
  requesterEmail = `checklist-requester-${Date.now()}@flightdeck.test`;
  requester = await app.userWith('deployer', { email: requesterEmail });
});

afterAll(async () => {
  await app?.close();
});

type Answer = DeploymentDetail & { code?: string; message?: string };
const gateOf = (gates: readonly Gate[]) => gates.find((gate) => gate.kind === 'checklist');

// A redeploy of what runs there: no upstream gate, so only the checklist stands in the way.
async function current(key: string): Promise<string> {
  const [state] = await sql(app.db.url, 'SELECT current_release_id FROM stage_states WHERE stage_id = $1', [
    stageOf[key],
  ]);
  return state!.current_release_id as string;
}

async function request(key: string): Promise<Deployment> {
  await app.admin.delete(`/api/v1/stages/${stageOf[key]}/lock`);
  const created = await requester.post<Deployment>('/api/v1/deployments', {
    stageId: stageOf[key],
    releaseId: await current(key),
    reason: 'with a checklist',
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body;
}

describe('deployment checklists', () => {
  it('waits until the requester confirms every item, refuses anyone else, and the last item starts it', async () => {
    const stageId = stageOf[KEY]!;
    const denied = await requester.put(`/api/v1/stages/${stageId}/checklist`, { items: [{ text: 'x' }] });
    expect(denied.status).toBe(403);

    const put = await app.admin.put<StageChecklist>(`/api/v1/stages/${stageId}/checklist`, {
      items: [
        { text: 'Migrations applied on staging' },
        { text: 'Feature flags set' },
        { text: 'On-call told' },
      ],
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body.items.map((item) => item.text)).toEqual([
      'Migrations applied on staging',
      'Feature flags set',
      'On-call told',
    ]);
    const read = await requester.get<StageChecklist>(`/api/v1/stages/${stageId}/checklist`);
    expect(read.body).toEqual(put.body);
    const items = put.body.items;

    const preview = await app.get<{ gates: Gate[] }>(
      `/api/v1/stages/${stageId}/preview?release=${await current(KEY)}`,
    );
    expect(gateOf(preview.body.gates)).toMatchObject({
      state: 'waiting',
      message: '3 checklist items to confirm after requesting',
    });

    const deployment = await request(KEY);
    expect(deployment.status).toBe('pending');
    const waiting = await getDeployment(app, deployment.id);
    expect(gateOf(waiting.gates)).toMatchObject({
      state: 'waiting',
      message: '0 of 3 checklist items confirmed by the requester',
    });
    expect(waiting.checklist).toMatchObject({ confirmed: 0, total: 3 });

    const confirm = (client: HttpClient, itemId: string) =>
      client.post<Answer>(`/api/v1/deployments/${deployment.id}/checklist`, { itemId, checked: true });

    const other = await app.userWith('approver');
    const notYours = await confirm(other, items[0]!.id);
    expect(notYours.status).toBe(403);
    expect(notYours.body.code).toBe('NOT_THE_REQUESTER');
    expect((await confirm(app.admin, items[0]!.id)).status).toBe(403);

    const unknown = await confirm(requester, '00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(400);

    const first = await confirm(requester, items[0]!.id);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const second = await confirm(requester, items[1]!.id);
    expect(second.body.status).toBe('pending');
    expect(gateOf(second.body.gates)).toMatchObject({
      state: 'waiting',
      message: '2 of 3 checklist items confirmed by the requester',
    });
    expect(second.body.checklist!.items.map((item) => [item.text, item.confirmedBy])).toEqual([
      ['Migrations applied on staging', requesterEmail],
      ['Feature flags set', requesterEmail],
      ['On-call told', null],
    ]);
    // Confirming again keeps the first confirmation.
    const again = await confirm(requester, items[0]!.id);
    expect(again.status).toBe(200);
    expect(again.body.checklist!.items[0]!.confirmedAt).toBe(first.body.checklist!.items[0]!.confirmedAt);

    const last = await confirm(requester, items[2]!.id);
    expect(last.status, JSON.stringify(last.body)).toBe(200);
    expect(last.body.status).not.toBe('pending');
    const done = await waitForDeployment(app, deployment.id);
    expect(done.status).toBe('succeeded');
    // Approvers see who confirmed what and when, after it ran too.
    const seen = await other.get<DeploymentDetail>(`/api/v1/deployments/${deployment.id}`);
    expect(seen.body.checklist).toMatchObject({ confirmed: 3, total: 3 });
    expect(
      seen.body.checklist!.items.every((item) => item.confirmedBy === requesterEmail && item.confirmedAt),
    ).toBe(true);

    const late = await confirm(requester, items[0]!.id);
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('DEPLOYMENT_NOT_PENDING');

    const audit = await sql(
      app.db.url,
      `SELECT action, actor_name, outcome FROM audit_events WHERE target_id = $1 ORDER BY id`,
      [deployment.id],
    );
    const actions = audit.map((row) => `${String(row.action)}:${String(row.outcome)}`);
    expect(actions.filter((action) => action === 'deployment.checklist_confirm:success')).toHaveLength(3);
    expect(actions.filter((action) => action === 'access.denied:denied')).toHaveLength(2);
    const stageAudit = await sql(
      app.db.url,
      `SELECT action, after FROM audit_events WHERE target_id = $1 AND action = 'stage_checklist.update'`,
      [stageId],
    );
    expect(stageAudit).toHaveLength(1);
  });

  it('keeps ids of unchanged items on edit, and an empty list removes the gate', async () => {
    const stageId = stageOf[KEY]!;
    const before = (await app.get<StageChecklist>(`/api/v1/stages/${stageId}/checklist`)).body;
    const edited = await app.admin.put<StageChecklist>(`/api/v1/stages/${stageId}/checklist`, {
      items: [{ text: 'On-call told' }, { text: 'Dashboards open' }],
    });
    expect(edited.body.items[0]!.id).toBe(before.items.find((item) => item.text === 'On-call told')!.id);
    expect(edited.body.items[1]!.id).not.toBe(before.items[1]!.id);

    const cleared = await app.admin.put<StageChecklist>(`/api/v1/stages/${stageId}/checklist`, { items: [] });
    expect(cleared.body.items).toEqual([]);
    const preview = await app.get<{ gates: Gate[] }>(
      `/api/v1/stages/${stageId}/preview?release=${await current(KEY)}`,
    );
    expect(preview.body.gates.length).toBeGreaterThan(0);
    expect(gateOf(preview.body.gates)).toBeUndefined();
  });
});
