import { randomBytes, randomUUID } from 'node:crypto';
import { type FakeArgoCd, type FakeArgoAppOptions, startFakeArgoCd } from '@flightdeck/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { argoTokenAad } from '../../src/drivers/argocd/argocd-config.js';
import { ArgoCdClient } from '../../src/drivers/argocd/argocd-client.js';
import { ArgoCdDriver } from '../../src/drivers/argocd/argocd.driver.js';
import type { DriverContext, StartIntent } from '../../src/drivers/driver.js';
import { SecretBox } from '../../src/secrets/secret-box.js';
import { driverContext } from './support/driver-context.js';

// A start whose answer was lost: the runner calls `start` again with the stored intent marked resumed.
// An operation deploying the release since the intent (requested, running or finished) is followed;
// anything else is not ours, and the release is synced.

let argo: FakeArgoCd;
let client: ArgoCdClient;
const box = new SecretBox(randomBytes(32));
const driver = new ArgoCdDriver(box);

beforeAll(async () => {
  argo = await startFakeArgoCd();
  client = new ArgoCdClient({ serverUrl: argo.url, token: argo.token, timeoutMs: 2_000 });
});

afterAll(async () => {
  await argo?.close();
});

interface Case {
  readonly name: string;
  readonly sha: string;
  context(over: { intent: StartIntent; state?: DriverContext['state'] }): DriverContext;
  syncs(): number;
}

function argoCase(
  options: Omit<FakeArgoAppOptions, 'name'> = {},
  sha = randomBytes(20).toString('hex'),
): Case {
  const name = `shop-${randomUUID().slice(0, 8)}`;
  const stageId = randomUUID();
  const deploymentId = randomUUID();
  argo.addApplication({ name, pickupMs: 20, syncMs: 50, healthDelayMs: 20, ...options });
  const driverConfig = {
    serverUrl: argo.url,
    tokenSealed: box.seal(argo.token, argoTokenAad(stageId)),
    application: name,
    pollIntervalSeconds: 1,
  };
  return {
    name,
    sha,
    context: ({ intent, state = null }) =>
      driverContext({
        deploymentId,
        stageId,
        driverKind: 'argocd',
        driverConfig,
        commitSha: sha,
        intent,
        state,
      }),
    syncs: () => argo.requestsFor(name, 'sync').length,
  };
}

function resumedNow(): StartIntent {
  return { key: randomUUID(), at: new Date(), resumed: true };
}

// The lost request reached Argo CD, which runs it without our info (as after an auto-sync or a
// native rollback): sent straight to the fake, so it is not counted against the driver.
async function syncElsewhere(c: Case, revision: string): Promise<number> {
  await client.sync(c.name, { revision, prune: false, dryRun: false });
  return c.syncs();
}

describe('the Argo CD driver on a resumed start intent', () => {
  it('follows an operation for the release that is requested but not picked up yet, and sends no sync', async () => {
    const c = argoCase({ pickupMs: 60_000 });
    const intent = resumedNow();
    const before = await syncElsewhere(c, c.sha);

    const step = await driver.start(c.context({ intent }));

    expect(step).toMatchObject({ outcome: 'progress', started: true, state: { observed: true } });
    expect(step.outcome === 'progress' && step.message).toContain('following it');
    expect(c.syncs()).toBe(before);
  });

  it('follows a running operation for the release to its outcome, and sends no sync', async () => {
    const c = argoCase();
    argo.setFault(c.name, { kind: 'stuck' });
    const intent = resumedNow();
    const before = await syncElsewhere(c, c.sha);
    await argo.waitFor(() => argo.app(c.name).operationState?.phase === 'Running');

    const step = await driver.start(c.context({ intent }));
    expect(step).toMatchObject({ outcome: 'progress', started: true, state: { observed: true } });
    expect(c.syncs()).toBe(before);

    const running = await driver.poll(c.context({ intent, state: step.state }));
    expect(running.outcome === 'progress' && running.message).toContain(`Argo CD is syncing ${c.name}`);

    argo.setFault(c.name, null);
    await argo.waitFor(() => argo.app(c.name).health.status === 'Healthy');
    const done = await driver.poll(c.context({ intent, state: step.state }));
    expect(done).toMatchObject({ outcome: 'succeeded', health: { status: 'healthy' } });
    expect(c.syncs()).toBe(before);
  });

  it('takes an operation for the release that finished since the intent as its own, and sends no sync', async () => {
    const c = argoCase({ history: [{ revision: 'v1.0.0' }] });
    const intent = resumedNow();
    const before = await syncElsewhere(c, c.sha);
    await argo.waitFor(
      () => argo.app(c.name).health.status === 'Healthy' && argo.app(c.name).history.length === 2,
    );

    const step = await driver.start(c.context({ intent }));
    expect(step).toMatchObject({ outcome: 'progress', started: true, state: { observed: true } });
    const done = await driver.poll(c.context({ intent, state: step.state }));
    expect(done).toMatchObject({ outcome: 'succeeded' });
    expect(c.syncs()).toBe(before);
  });

  it('sends exactly one sync when the lost request never reached Argo CD', async () => {
    const c = argoCase({ history: [{ revision: 'v1.0.0' }] });

    const step = await driver.start(c.context({ intent: resumedNow() }));

    expect(step).toMatchObject({ outcome: 'progress', started: true, state: { observed: false } });
    expect(step.outcome === 'progress' && step.message).toContain('sync of');
    expect(c.syncs()).toBe(1);
  });

  it('does not take an operation for another revision since the intent as its own', async () => {
    const c = argoCase({ history: [{ revision: 'v1.0.0' }] });
    const intent = resumedNow();
    const other = randomBytes(20).toString('hex');
    const before = await syncElsewhere(c, other);
    await argo.waitFor(() => argo.app(c.name).operation === null && argo.app(c.name).history.length === 2);

    const step = await driver.start(c.context({ intent }));

    expect(step).toMatchObject({ outcome: 'progress', started: true, state: { observed: false } });
    expect(c.syncs()).toBe(before + 1);
  });

  it('does not take an operation for the release that finished before the intent as its own', async () => {
    // The release went out a minute before (history's live entry), and is now deployed again.
    const sha = randomBytes(20).toString('hex');
    const c = argoCase({ history: [{ revision: 'v1.0.0' }, { revision: sha }] }, sha);

    const step = await driver.start(c.context({ intent: resumedNow() }));

    expect(step).toMatchObject({ outcome: 'progress', started: true, state: { observed: false } });
    expect(c.syncs()).toBe(1);
  });
});
