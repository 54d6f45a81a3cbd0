import { describe, expect, it } from 'vitest';
import { freshRuns } from './fresh-runs.js';

// A task whose runs finish when the test says so, numbered in the order they started.
function controlledTask() {
  const finishers: Array<() => void> = [];
  let started = 0;
  const task = () =>
    new Promise<number>((resolve) => {
      const run = ++started;
      finishers.push(() => resolve(run));
    });
  return { task, finish: (run: number) => finishers[run - 1]!(), started: () => started };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('fresh runs', () => {
  it('never hands a caller a run that started before it called, and queues at most one run', async () => {
    const { task, finish, started } = controlledTask();
    const run = freshRuns(task);
    const first = run();
    // These arrive while run 1 is in flight: they must wait for run 2, and share it.
    const later = [run(), run(), run()];
    expect(started()).toBe(1);
    finish(1);
    expect(await first).toBe(1);
    await settle();
    expect(started()).toBe(2);
    finish(2);
    expect(await Promise.all(later)).toEqual([2, 2, 2]);
    // Idle again: the next caller starts a run of its own.
    const next = run();
    expect(started()).toBe(3);
    finish(3);
    expect(await next).toBe(3);
  });

  it('runs again after a failed run', async () => {
    let calls = 0;
    const run = freshRuns(() => {
      calls += 1;
      return calls === 1 ? Promise.reject(new Error('first fails')) : Promise.resolve(calls);
    });
    const failing = run();
    const queued = run();
    await expect(failing).rejects.toThrow('first fails');
    expect(await queued).toBe(2);
  });
});
