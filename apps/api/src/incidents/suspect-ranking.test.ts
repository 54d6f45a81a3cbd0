import { describe, expect, it } from 'vitest';
import { rankSuspects, type SuspectCandidate } from './suspect-ranking.js';

const detected = new Date('2026-11-22T10:00:00Z');
const before = (minutes: number) => new Date(detected.getTime() - minutes * 60_000);

function candidate(id: string, fields: Partial<SuspectCandidate>): SuspectCandidate {
  return {
    id,
    tier: 'development',
    status: 'succeeded',
    finishedAt: before(30),
    warnings: [],
    changeSize: 1,
    relations: [],
    ...fields,
  };
}

describe('suspect ranking', () => {
  it('puts production first, then closeness to detection, failures, warnings and change size, with reasons', () => {
    const ranked = rankSuspects(
      [
        candidate('staging-close', { tier: 'staging', finishedAt: before(5) }),
        candidate('prod-far', { tier: 'production', finishedAt: before(200) }),
        candidate('prod-close-big', { tier: 'production', finishedAt: before(20), changeSize: 4 }),
        candidate('prod-close-warned', {
          tier: 'production',
          finishedAt: before(20),
          warnings: ['error-rate: 7% over 5%'],
        }),
        candidate('dev-after', { finishedAt: new Date(detected.getTime() + 3 * 60_000) }),
      ],
      detected,
      240,
    );
    expect(ranked.map((item) => [item.id, item.rank])).toEqual([
      ['prod-close-warned', 1],
      ['prod-close-big', 2],
      ['staging-close', 3],
      ['prod-far', 4],
      ['dev-after', 5],
    ]);
    expect(ranked[0]!.reasons).toEqual([
      'in production',
      'finished 20 minutes before detection',
      'warned during verification: error-rate: 7% over 5%',
    ]);
    expect(ranked[1]!.reasons).toEqual([
      'in production',
      'finished 20 minutes before detection',
      'brought 4 releases at once',
    ]);
    expect(ranked[4]!.reasons).toEqual(['in development', 'finished 3 minutes after detection']);
  });

  it('ranks what people marked as the cause above everything, and a failure above a success', () => {
    const ranked = rankSuspects(
      [
        candidate('prod-ok', { tier: 'production', finishedAt: before(1) }),
        candidate('prod-failed', { tier: 'production', finishedAt: before(1), status: 'failed' }),
        candidate('dev-cause', { finishedAt: before(100), relations: ['cause'] }),
      ],
      detected,
      240,
    );
    expect(ranked.map((item) => item.id)).toEqual(['dev-cause', 'prod-failed', 'prod-ok']);
    expect(ranked[0]!.reasons[0]).toBe('marked as the cause');
    expect(ranked[1]!.reasons).toContain('failed');
  });
});
