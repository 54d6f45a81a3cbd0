import type { ReleaseTrain } from '@flightdeck/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setSandbox, waitForDeployment } from '../support/deployments.js';
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

describe('release trains', () => {
  it('promotes several services in one action, each gated on its own, and shows the group', async () => {
    const services = ['checkout-api', 'payments-service', 'web-storefront', 'fraud-scoring'];
    const key = `train-${Date.now()}`;
    const response = await app.admin.post<ReleaseTrain>(
      '/api/v1/trains',
      { environment: 'production', services, reason: 'Tuesday train' },
      { headers: { 'idempotency-key': key } },
    );
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    const train = response.body;
    expect(train).toMatchObject({ environmentSlug: 'production', reason: 'Tuesday train' });
    // payments-service production is locked in the demo: it is listed with the lock's sentence.
    expect(train.skipped).toEqual([
      expect.objectContaining({
        serviceSlug: 'payments-service',
        message: expect.stringMatching(/^Blocked: production is locked by maria\.k/) as string,
      }),
    ]);
    expect(train.skipped[0]!.gates.find((gate) => gate.kind === 'lock')?.state).toBe('fail');
    const started = train.deployments.map((deployment) => deployment.serviceSlug).sort();
    expect(started.length).toBeGreaterThanOrEqual(2);
    expect(started).not.toContain('payments-service');
    expect(train.deployments.every((deployment) => deployment.trainId === train.id)).toBe(true);

    const replay = await app.admin.post<ReleaseTrain>(
      '/api/v1/trains',
      { environment: 'production', services, reason: 'Tuesday train' },
      { headers: { 'idempotency-key': key } },
    );
    expect(replay.body.id).toBe(train.id);

    for (const deployment of train.deployments) {
      expect((await waitForDeployment(app, deployment.id)).status).toBe('succeeded');
    }
    const shown = await app.get<ReleaseTrain>(`/api/v1/trains/${train.id}`);
    expect(shown.body.deployments.map((deployment) => deployment.status)).toEqual(
      train.deployments.map(() => 'succeeded'),
    );
    const listed = await app.get<{ items: ReleaseTrain[] }>('/api/v1/trains?limit=5');
    expect(listed.body.items[0]!.id).toBe(train.id);
  });

  it('names unknown services and services without a stage there', async () => {
    const unknown = await app.admin.post<{ code: string; message: string }>('/api/v1/trains', {
      environment: 'production',
      services: ['checkout-api', 'no-such-service'],
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({
      code: 'SERVICE_NOT_FOUND',
      message: 'No service "no-such-service"',
    });
    const noStage = await app.admin.post<{ code: string }>('/api/v1/trains', {
      environment: 'preview',
      services: ['payments-service'],
    });
    expect(noStage.status).toBe(400);
    expect(noStage.body.code).toBe('NO_STAGE_IN_ENVIRONMENT');
    const repeated = await app.admin.post<{ code: string }>('/api/v1/trains', {
      environment: 'production',
      services: ['checkout-api', 'checkout-api'],
    });
    expect(repeated.status).toBe(400);
  });

  it('is refused as a whole when one service is not the caller’s to deploy', async () => {
    const viewer = await app.userWith('viewer');
    const response = await viewer.post<{ code: string }>('/api/v1/trains', {
      environment: 'staging',
      services: ['checkout-api'],
    });
    expect(response.status).toBe(403);
  });
});
