import { describe, expect, it } from 'vitest';
import { CoalescingLoop } from './coalescing-loop.js';

// A pass the test finishes by hand, so "while a pass runs" is a state, not a timing.
function gatedPasses() {
  const gates: Array<{ finish: (error?: Error) => void }> = [];
  let active = 0;
  let maxActive = 0;
  const pass = () =>
    new Promise<void>((resolve, reject) => {
      active += 1;
      maxActive = Math.max(maxActive, active);
      gates.push({
        finish: (error) => {
          active -= 1;
          if (error) reject(error);
          else resolve();
        },
      });
    });
  return {
    pass,
    gates,
    get maxActive() {
      return maxActive;
    },
  };
}

// Lets the loop's promise callbacks run.
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('CoalescingLoop', () => {
  it('folds requests made while a pass runs into one re-run after it, never two passes at once', async () => {
    const passes = gatedPasses();
    const errors: unknown[] = [];
    const loop = new CoalescingLoop({ pass: passes.pass, onError: (error) => errors.push(error) });

    const first = loop.request();
    const second = loop.request();
    const third = loop.request();
    expect(second).toBe(third);
    await settle();
    expect(passes.gates).toHaveLength(1);

    passes.gates[0]!.finish();
    await first;
    await settle();
    // Three requests: the running pass and exactly one re-run.
    expect(passes.gates).toHaveLength(2);
    let secondDone = false;
    void second.then(() => {
      secondDone = true;
    });
    await settle();
    expect(secondDone).toBe(false);

    passes.gates[1]!.finish();
    await second;
    await settle();
    expect(passes.gates).toHaveLength(2);
    expect(passes.maxActive).toBe(1);
    expect(errors).toEqual([]);

    // Idle again: the next request starts a pass at once.
    const later = loop.request();
    await settle();
    expect(passes.gates).toHaveLength(3);
    passes.gates[2]!.finish();
    await later;
  });

  it('reports a failed pass and keeps running later ones, including the folded re-run', async () => {
    const passes = gatedPasses();
    const errors: unknown[] = [];
    let successes = 0;
    const loop = new CoalescingLoop({
      pass: passes.pass,
      onError: (error) => errors.push(error),
      onSuccess: () => (successes += 1),
    });

    const first = loop.request();
    const rerun = loop.request();
    await settle();
    const boom = new Error('database away');
    passes.gates[0]!.finish(boom);
    await expect(first).resolves.toBeUndefined();
    expect(errors).toEqual([boom]);
    expect(successes).toBe(0);

    await settle();
    expect(passes.gates).toHaveLength(2);
    passes.gates[1]!.finish();
    await expect(rerun).resolves.toBeUndefined();
    expect(successes).toBe(1);

    // A reporter that throws does not wedge the loop either.
    const fragile = new CoalescingLoop({
      pass: () => Promise.reject(new Error('once')),
      onError: () => {
        throw new Error('reporter broke');
      },
    });
    await expect(fragile.request()).resolves.toBeUndefined();
    await expect(fragile.request()).resolves.toBeUndefined();
  });

  it('drains on stop: waits for the pass under way, drops the pending re-run and refuses new passes', async () => {
    const passes = gatedPasses();
    const loop = new CoalescingLoop({ pass: passes.pass, onError: () => undefined });

    const first = loop.request();
    const rerun = loop.request();
    await settle();
    let stopped = false;
    const stopping = loop.stop().then(() => {
      stopped = true;
    });
    await settle();
    expect(stopped).toBe(false);

    passes.gates[0]!.finish();
    await Promise.all([first, rerun, stopping]);
    expect(stopped).toBe(true);
    await loop.request();
    await settle();
    expect(passes.gates).toHaveLength(1);
  });

  it('stops at once when idle', async () => {
    const passes = gatedPasses();
    const loop = new CoalescingLoop({ pass: passes.pass, onError: () => undefined });
    await loop.stop();
    await loop.request();
    expect(passes.gates).toHaveLength(0);
  });
});
