import { randomBytes } from 'node:crypto';
import { startFakeArgoCd, type FakeArgoCd } from '@flightdeck/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { argoTokenAad } from '../../src/drivers/argocd/argocd-config.js';
import { SecretBox } from '../../src/secrets/secret-box.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from './support/processes.js';
import { allTerminal, createStages, requestDeployment, statusesOf } from './support/stages.js';

const DEPLOYMENTS = 6;
const secretKey = randomBytes(32);

let app: TestApp;
let argo: FakeArgoCd;

beforeAll(async () => {
  app = await startTestApp({
    env: { FLIGHTDECK_SECRET_KEY: secretKey.toString('base64'), FLIGHTDECK_RUNNER_INTERVAL_MS: '100' },
  });
  argo = await startFakeArgoCd();
});

afterAll(async () => {
  await argo?.close();
  await app?.close();
});

const application = (stageId: string) => `flap-${stageId.slice(0, 8)}`;

describe('an Argo CD that flaps', () => {
  it('still brings every deployment to success, starting each sync once', async () => {
    const box = new SecretBox(secretKey);
    const stages = await createStages(app.db.url, DEPLOYMENTS, {
      kind: 'argocd',
      config: (stageId) => ({
        serverUrl: argo.url,
        tokenSealed: box.seal(argo.token, argoTokenAad(stageId)),
        application: application(stageId),
        project: 'default',
        appNamespace: null,
        mapping: { kind: 'revision', value: 'commitSha' },
        prune: false,
        syncOptions: [],
        timeoutSeconds: 2,
        pollIntervalSeconds: 1,
      }),
    });
    const names = stages.map((stage) => application(stage.stageId));
    for (const name of names) argo.addApplication({ name, history: [{ revision: 'v0.9.0' }], syncMs: 500 });

    // Argo CD cycles: a second of 500s to every request, a second and a half of normal answers.
    let flapping = true;
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const refusedEach = () =>
      names.every((name) => argo.requestsFor(name).some((request) => request.status === 500));
    const flap = (async () => {
      while (flapping) {
        for (const name of names) argo.setFault(name, { kind: 'error500', times: 1_000 });
        await pause(1_000);
        // The first outage lasts until every application has been refused once: on a fast machine a
        // deployment picked up late could otherwise run entirely inside one healthy spell.
        while (flapping && !refusedEach()) await pause(100);
        for (const name of names) argo.setFault(name, null);
        await pause(1_500);
      }
    })();
    try {
      const ids = await Promise.all(stages.map((stage) => requestDeployment(app.admin, stage)));
      await waitFor('every deployment terminal', () => allTerminal(app.db.url, ids), 90_000, 250).catch(
        async (error: unknown) => {
          console.log(await statusesOf(app.db.url, ids));
          throw error;
        },
      );
      const statuses = await statusesOf(app.db.url, ids);
      expect(ids.map((id) => statuses.get(id))).toEqual(ids.map(() => 'succeeded'));
    } finally {
      flapping = false;
      await flap;
    }
    for (const name of names) {
      // It really flapped for this application, and one sync got through and ran.
      expect(
        argo.requestsFor(name).some((request) => request.status === 500),
        name,
      ).toBe(true);
      expect(
        argo.requestsFor(name, 'sync').filter((request) => request.status === 200),
        name,
      ).toHaveLength(1);
    }
  }, 150_000);
});
