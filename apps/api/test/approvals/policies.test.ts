import type { ApprovalPolicy } from '@flightdeck/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../support/sql.js';
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

type Answer = ApprovalPolicy & { code?: string; message?: string; details?: { issues: { field: string }[] } };

describe('approval policies', () => {
  it('sets an environment policy, replaces it per stage and falls back when the stage one goes, all audited', async () => {
    const stagePath = `/api/v1/stages/${stageOf['checkout-api/staging']}/policy`;
    const none = await app.admin.get<Answer>('/api/v1/environments/staging/policy');
    expect(none.status).toBe(200);
    expect(none.body).toMatchObject({ source: 'none', requiredApprovals: 0, selfApprovalBanned: true });

    const put = await app.admin.put<Answer>('/api/v1/environments/staging/policy', {
      requiredApprovals: 2,
      approvers: { roles: ['approver'], teams: ['commerce'], users: ['ADMIN@flightdeck.test'] },
      expiryMinutes: 120,
      waitMinutes: 5,
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body).toMatchObject({
      source: 'environment',
      environmentSlug: 'staging',
      requiredApprovals: 2,
      approvers: { roles: ['approver'], teams: ['commerce'], users: ['admin@flightdeck.test'] },
      distinctTeams: false,
      selfApprovalBanned: true,
      expiryMinutes: 120,
      waitMinutes: 5,
      updatedBy: 'admin@flightdeck.test',
    });
    expect((await app.admin.get<Answer>(stagePath)).body).toMatchObject({
      source: 'environment',
      requiredApprovals: 2,
    });
    const [state] = await sql(app.db.url, 'SELECT current_release_id FROM stage_states WHERE stage_id = $1', [
      stageOf['checkout-api/staging'],
    ]);
    const preview = await app.get<{ gates: { kind: string; message: string }[] }>(
      `/api/v1/stages/${stageOf['checkout-api/staging']}/preview?release=${state!.current_release_id as string}`,
    );
    expect(preview.body.gates).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'soak',
          message: 'Waits 5 minutes after the request before it may start',
        }),
        expect.objectContaining({
          kind: 'approvals',
          message: 'Needs 2 approvals from an approver, team commerce or admin@flightdeck.test',
        }),
      ]),
    );

    const own = await app.admin.put<Answer>(stagePath, { requiredApprovals: 0, selfApprovalBanned: false });
    expect(own.body).toMatchObject({
      source: 'stage',
      requiredApprovals: 0,
      stageId: stageOf['checkout-api/staging'],
    });
    const removed = await app.admin.delete<Answer>(stagePath);
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ source: 'environment', requiredApprovals: 2 });
    const again = await app.admin.delete<Answer>(stagePath);
    expect(again.status).toBe(404);
    expect(again.body.code).toBe('STAGE_POLICY_NOT_FOUND');

    const audit = await sql(
      app.db.url,
      `SELECT action, target_type, before, after FROM audit_events WHERE action LIKE 'approval_policy.%' ORDER BY id`,
    );
    expect(audit.map((row) => `${String(row.action)} ${String(row.target_type)}`)).toEqual([
      'approval_policy.update environment',
      'approval_policy.update stage',
      'approval_policy.delete stage',
    ]);
    expect(audit[0]!.before).toBeNull();
    expect(audit[1]!.before).toMatchObject({ source: 'environment', requiredApprovals: 2 });
    expect(audit[1]!.after).toMatchObject({ source: 'stage', requiredApprovals: 0 });
    expect(audit[2]!.before).toMatchObject({ source: 'stage' });
  });

  it('answers 400 naming the fields, 404 for unknown environments and stages, 403 for non-admins', async () => {
    const bad = await app.admin.put<Answer>('/api/v1/environments/production/policy', {
      requiredApprovals: -1,
      expiryMinutes: 0,
      approvers: { roles: ['boss'] },
    });
    expect(bad.status).toBe(400);
    const fields = bad.body.details!.issues.map((issue) => issue.field);
    expect(fields).toEqual(
      expect.arrayContaining(['requiredApprovals', 'expiryMinutes', 'approvers.roles.0']),
    );
    const distinct = await app.admin.put<Answer>('/api/v1/environments/production/policy', {
      requiredApprovals: 1,
      distinctTeams: true,
    });
    expect(distinct.status).toBe(400);
    expect(distinct.body.details!.issues.map((issue) => issue.field)).toEqual(['distinctTeams']);
    const unknown = await app.admin.put<Answer>('/api/v1/environments/production/policy', {
      requiredApprovals: 1,
      approvers: { teams: ['commerce', 'no-such-team'], users: ['nobody@flightdeck.test'] },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('UNKNOWN_APPROVERS');
    expect(unknown.body.details!.issues.map((issue) => issue.field)).toEqual([
      'approvers.teams.1',
      'approvers.users.0',
    ]);
    expect((await app.admin.get<Answer>('/api/v1/environments/nowhere/policy')).status).toBe(404);
    expect(
      (
        await app.admin.put<Answer>('/api/v1/stages/00000000-0000-4000-8000-000000000000/policy', {
          requiredApprovals: 1,
        })
      ).status,
    ).toBe(404);
    const approver = await app.userWith('approver');
    const refused = await approver.put<Answer>('/api/v1/environments/production/policy', {
      requiredApprovals: 0,
    });
    expect(refused.status).toBe(403);
    expect((await approver.get<Answer>('/api/v1/environments/production/policy')).status).toBe(200);
  });
});
