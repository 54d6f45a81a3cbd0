import type { ApprovalPolicy, Deployment, Gate } from '@flightdeck/contracts';
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

type Answer = ApprovalPolicy & { code?: string; message?: string; details?: { issues: { field: string }[] } };

// A daily window (UTC) that opened `minutesAgo` minutes ago; negative: it opens that far ahead.
function daily(
  kind: 'allow' | 'deny',
  minutesAgo: number,
  durationMinutes: number,
  label: string | null = null,
) {
  const opens = new Date(Date.now() - minutesAgo * 60_000);
  return {
    kind,
    cron: `${opens.getUTCMinutes()} ${opens.getUTCHours()} * * *`,
    durationMinutes,
    timeZone: 'UTC',
    label,
  };
}

async function currentRelease(stage: string): Promise<string> {
  const [row] = await sql(app.db.url, 'SELECT current_release_id FROM stage_states WHERE stage_id = $1', [
    stageOf[stage],
  ]);
  return row!.current_release_id as string;
}

const policyGate = (gates: readonly Gate[]) =>
  gates.filter((gate) => gate.kind === 'window').find((gate) => gate.message.includes('policy'));

describe('deployment windows in approval policies', () => {
  it('waits inside a deny window with the policy’s sentence, and the runner starts it once the window is gone', async () => {
    const stageId = stageOf['checkout-api/production']!;
    const put = await app.admin.put<Answer>(`/api/v1/stages/${stageId}/policy`, {
      requiredApprovals: 0,
      windows: [daily('deny', 1, 120, 'Peak sales')],
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body.windows).toEqual([
      expect.objectContaining({
        kind: 'deny',
        timeZone: 'UTC',
        label: 'Peak sales',
        summary: expect.stringMatching(/^Peak sales \(daily \d\d:\d\d–\d\d:\d\d UTC\)$/) as string,
      }),
    ]);

    const response = await deploy(app, {
      stageId,
      releaseId: await currentRelease('checkout-api/production'),
    });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body.status).toBe('pending');
    const waiting = policyGate((await getDeployment(app, response.body.id)).gates);
    expect(waiting).toMatchObject({
      kind: 'window',
      state: 'waiting',
      message: expect.stringMatching(
        /^checkout-api's production policy denies deploys Peak sales \(daily \d\d:\d\d–\d\d:\d\d UTC\); closes \w{3} \d\d:\d\d$/,
      ) as string,
    });
    expect(new Date(waiting!.until!).getTime()).toBeGreaterThan(Date.now());

    // The deny window moves to one that closed a minute ago: the runner starts it by itself.
    expect(
      (
        await app.admin.put(`/api/v1/stages/${stageId}/policy`, {
          requiredApprovals: 0,
          windows: [daily('deny', 3, 2, 'Peak sales')],
        })
      ).status,
    ).toBe(200);
    expect((await waitForDeployment(app, response.body.id)).status).toBe('succeeded');
  });

  it('with allow windows, waits until one opens and says when; rollbacks pass allow and deny windows', async () => {
    const stageId = stageOf['web-storefront/production']!;
    const closed = await app.admin.put<Answer>('/api/v1/environments/production/policy', {
      requiredApprovals: 0,
      windows: [daily('allow', -12 * 60, 7 * 60)],
    });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    const response = await deploy(app, {
      stageId,
      releaseId: await currentRelease('web-storefront/production'),
    });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body.status).toBe('pending');
    const waiting = policyGate((await getDeployment(app, response.body.id)).gates);
    expect(waiting).toMatchObject({
      state: 'waiting',
      message: expect.stringMatching(
        /^Production policy allows deploys daily \d\d:\d\d–\d\d:\d\d UTC; next opens \w{3} \d\d:\d\d$/,
      ) as string,
    });
    const opensIn = new Date(waiting!.until!).getTime() - Date.now();
    expect(opensIn).toBeGreaterThan(11 * 3600_000);
    expect(opensIn).toBeLessThan(12 * 3600_000 + 60_000);

    // A rollback goes outside the allow window and inside a deny window alike.
    const cases = [
      [stageId, daily('allow', -12 * 60, 7 * 60)],
      [stageOf['catalog-search/production']!, daily('deny', 1, 60)],
    ] as const;
    for (const [stage, window] of cases) {
      await app.admin.put('/api/v1/environments/production/policy', {
        requiredApprovals: 0,
        windows: [window],
      });
      const rollback = await app.admin.post<Deployment>(`/api/v1/stages/${stage}/rollback`, {
        reason: 'errors after the deploy',
      });
      expect(rollback.status, JSON.stringify(rollback.body)).toBe(201);
      expect(rollback.body.status).not.toBe('pending');
      expect((await waitForDeployment(app, rollback.body.id)).status).toBe('succeeded');
    }

    // An allow window open now lets a deployment start at once.
    await app.admin.put('/api/v1/environments/production/policy', {
      requiredApprovals: 0,
      windows: [daily('allow', 1, 60, 'Office hours')],
    });
    const [state] = await sql(app.db.url, 'SELECT current_release_id FROM stage_states WHERE stage_id = $1', [
      stageId,
    ]);
    const preview = await app.get<{ gates: Gate[] }>(
      `/api/v1/stages/${stageId}/preview?release=${state!.current_release_id as string}`,
    );
    expect(policyGate(preview.body.gates)).toMatchObject({
      state: 'pass',
      message: expect.stringMatching(
        /^Inside Production policy's window Office hours \(daily .*\) \(open until/,
      ) as string,
    });
  });

  it('answers 400 naming the window field, writes nothing, and audits changes with before and after', async () => {
    const path = '/api/v1/environments/staging/policy';
    const field = async (window: Record<string, unknown>) => {
      const res = await app.admin.put<Answer>(path, {
        requiredApprovals: 1,
        windows: [daily('allow', 0, 60), { ...daily('deny', 0, 60), ...window }],
      });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      return res.body.details!.issues.map((issue) => issue.field);
    };
    expect(await field({ cron: '0 9 * * 1-5 2026' })).toEqual(['windows.1.cron']);
    expect(await field({ cron: '0 99 * * *' })).toEqual(['windows.1.cron']);
    expect(await field({ timeZone: 'Mars/Olympus' })).toEqual(['windows.1.timeZone']);
    expect(await field({ durationMinutes: 0 })).toEqual(['windows.1.durationMinutes']);
    expect(await field({ kind: 'maybe' })).toEqual(['windows.1.kind']);
    expect((await app.admin.get<Answer>(path)).body.source).toBe('none');

    const first = await app.admin.put<Answer>(path, {
      requiredApprovals: 1,
      windows: [daily('deny', 0, 30)],
    });
    expect(first.status).toBe(200);
    const second = await app.admin.put<Answer>(path, {
      requiredApprovals: 1,
      windows: [{ kind: 'allow', cron: '0 9 * * 1-4', durationMinutes: 420, timeZone: 'Europe/Berlin' }],
    });
    expect(second.body.windows).toEqual([
      expect.objectContaining({ kind: 'allow', label: null, summary: 'Mon–Thu 09:00–16:00 Europe/Berlin' }),
    ]);
    const [, last] = await sql(
      app.db.url,
      `SELECT before, after FROM audit_events
        WHERE action = 'approval_policy.update' AND after->>'environmentSlug' = 'staging'
        ORDER BY id DESC LIMIT 2`,
    ).then((rows) => rows.reverse());
    expect(last!.before).toMatchObject({
      windows: [expect.objectContaining({ kind: 'deny', durationMinutes: 30 })],
    });
    expect(last!.after).toMatchObject({
      windows: [expect.objectContaining({ kind: 'allow', cron: '0 9 * * 1-4', timeZone: 'Europe/Berlin' })],
    });
  });
});
