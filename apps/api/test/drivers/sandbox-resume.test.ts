import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DriverContext, DriverStep, StartIntent } from '../../src/drivers/driver.js';
import { SandboxDriver } from '../../src/drivers/sandbox.driver.js';
import { driverContext } from './support/driver-context.js';

// The sandbox times its rollout from the stored start intent: a start repeated after its answer was
// lost is the same rollout (same finish time), while a fresh one starts from now.

const driver = new SandboxDriver();
const DURATION_S = 30;
const deploymentId = randomUUID();

const stageId = randomUUID();

function context(now: Date, intent: StartIntent | null, state: DriverContext['state'] = null): DriverContext {
  const driverConfig = { durationSeconds: DURATION_S, failureRate: 0, health: 'healthy' };
  return driverContext({
    deploymentId,
    stageId,
    driverKind: 'sandbox',
    driverConfig,
    commitSha: 'a'.repeat(40),
    intent,
    state,
    now,
  });
}

function finishAt(step: DriverStep): number {
  return Date.parse((step.state as { finishAt: string }).finishAt);
}

describe('the sandbox driver on a start intent', () => {
  it('continues the same rollout on a resumed intent, timed from the intent', async () => {
    const at = new Date('2026-11-22T12:00:00.000Z');
    const first = await driver.start(context(at, { key: 'k', at, resumed: false }));
    // The answer was lost; the runner starts again 20 s later under the same intent.
    const later = new Date(at.getTime() + 20_000);
    const resumed = await driver.start(context(later, { key: 'k', at, resumed: true }));

    expect(finishAt(resumed)).toBe(at.getTime() + DURATION_S * 1000);
    expect(finishAt(resumed)).toBe(finishAt(first));
    expect(resumed).toMatchObject({ outcome: 'progress', started: true });
    expect(resumed.outcome === 'progress' && resumed.message).toContain('resuming the rollout');
    expect(resumed.outcome === 'progress' && resumed.nextRunAt.getTime()).toBeLessThanOrEqual(
      at.getTime() + DURATION_S * 1000,
    );

    // Finished 30 s after the intent, not 30 s after the resumed call.
    const done = new Date(at.getTime() + DURATION_S * 1000);
    expect(await driver.poll(context(done, null, resumed.state))).toMatchObject({ outcome: 'succeeded' });
  });

  it('starts a fresh rollout from now', async () => {
    const now = new Date('2026-11-22T12:00:00.000Z');
    const fresh = await driver.start(context(now, { key: 'k', at: now, resumed: false }));

    expect(finishAt(fresh)).toBe(now.getTime() + DURATION_S * 1000);
    expect(fresh.outcome === 'progress' && fresh.message).toContain('rolling out v2.0.0');
    const early = new Date(now.getTime() + DURATION_S * 1000 - 1);
    expect(await driver.poll(context(early, null, fresh.state))).toMatchObject({ outcome: 'progress' });

    // Without a stored intent (a driver called outside the runner), from the call's time.
    const bare = await driver.start(context(now, null));
    expect(finishAt(bare)).toBe(now.getTime() + DURATION_S * 1000);
  });
});
