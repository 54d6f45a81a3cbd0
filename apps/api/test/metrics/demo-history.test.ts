import { describe, expect, it } from 'vitest';
import { DEMO_SERVICES } from '../../src/demo/demo-catalog.js';
import { planHistory } from '../../src/demo/demo-history.js';

// The demo gives the Metrics page something to show: commit times, and a few production rollbacks.
describe('demo history for delivery metrics', () => {
  const now = new Date('2026-11-22T12:00:00Z');
  const histories = DEMO_SERVICES.map((service) => planHistory(service, now));

  it('commits every release a little before it was cut', () => {
    for (const { releases } of histories) {
      for (const release of releases) {
        expect(release.committedAt.getTime()).toBeLessThan(release.createdAt.getTime());
      }
    }
  });

  it('rolls production back now and then, right after the change, to the release that ran before', () => {
    let rollbacks = 0;
    for (const { deployments } of histories) {
      const production = deployments.filter((deployment) => deployment.stageSlug === 'production');
      production.forEach((deployment, index) => {
        if (deployment.kind !== 'rollback') return;
        rollbacks++;
        const change = production[index - 1]!;
        const earlier = production.slice(0, index - 1).filter((d) => d.status === 'succeeded');
        expect(change).toMatchObject({ kind: 'promote', status: 'succeeded' });
        expect(deployment.createdAt.getTime()).toBeGreaterThan(change.finishedAt.getTime());
        expect(deployment.releaseId).toBe(earlier.at(-1)!.releaseId);
        // The next change comes later, and the last two are plain promotions.
        expect(production.slice(-2).map((d) => d.kind)).toEqual(['promote', 'promote']);
        const next = production[index + 1];
        if (next) expect(next.createdAt.getTime()).toBeGreaterThan(deployment.finishedAt.getTime());
      });
    }
    expect(rollbacks).toBeGreaterThanOrEqual(2);
  });

  it('tells the same story on every fresh start', () => {
    const again = DEMO_SERVICES.map((service) => planHistory(service, now));
    const shape = (list: typeof histories) =>
      list.map(({ deployments }) =>
        deployments.map((d) => [d.stageSlug, d.kind, d.status, d.finishedAt.getTime()]),
      );
    expect(shape(again)).toEqual(shape(histories));
  });
});
