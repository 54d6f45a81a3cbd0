import type { Deployment, Gate } from '@flightdeck/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDeployment, setSandbox, waitForDeployment } from '../support/deployments.js';
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

describe('rollbacks under an approval policy', () => {
  it('go without approval by default (audited), and wait for one when the policy says so', async () => {
    const stageId = stageOf['checkout-api/production']!;
    const put = (approveRollbacks: boolean) =>
      app.admin.put(`/api/v1/stages/${stageId}/policy`, { requiredApprovals: 1, approveRollbacks });
    expect((await put(false)).status).toBe(200);

    const quick = await app.admin.post<Deployment>(`/api/v1/stages/${stageId}/rollback`, {
      reason: 'checkout errors',
    });
    expect(quick.status, JSON.stringify(quick.body)).toBe(201);
    expect(quick.body.status).toBe('queued');
    expect((await waitForDeployment(app, quick.body.id)).status).toBe('succeeded');

    expect((await put(true)).status).toBe(200);
    const gated = await app.admin.post<Deployment>(`/api/v1/stages/${stageId}/rollback`, {
      reason: 'still failing',
    });
    expect(gated.status, JSON.stringify(gated.body)).toBe(201);
    expect(gated.body.status).toBe('pending');
    const detail = await getDeployment(app, gated.body.id);
    expect(detail.gates.find((gate: Gate) => gate.kind === 'approvals')?.state).toBe('waiting');
  });
});
