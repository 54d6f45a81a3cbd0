import { describe, expect, it } from 'vitest';
import { backoffMs, outcomeOf } from './delivery-outcome.js';

const now = new Date('2026-11-22T12:00:00Z');
const half = () => 0.5;

describe('delivery outcome', () => {
  it('backs off exponentially with jitter between half and the whole step, capped at ten minutes', () => {
    expect([1, 2, 3, 4].map((attempt) => backoffMs(attempt, () => 0))).toEqual([500, 1000, 2000, 4000]);
    expect([1, 2, 3, 4].map((attempt) => backoffMs(attempt, () => 1))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffMs(30, () => 1)).toBe(600_000);
  });

  it('retries 5xx, 408, 429, timeouts and network errors, honouring a longer Retry-After', () => {
    const retry = outcomeOf({ kind: 'response', status: 429, retryAfter: '30' }, 1, 10, now, half);
    expect(retry).toMatchObject({ state: 'pending', statusCode: 429 });
    expect(retry.nextAttemptAt!.getTime() - now.getTime()).toBe(30_000);
    const own = outcomeOf({ kind: 'response', status: 503, retryAfter: null }, 3, 10, now, half);
    expect(own.nextAttemptAt!.getTime() - now.getTime()).toBe(3000);
    expect(outcomeOf({ kind: 'timeout', seconds: 10 }, 1, 10, now).error).toBe('No answer within 10 s');
    expect(outcomeOf({ kind: 'network', reason: 'ECONNREFUSED' }, 1, 10, now).state).toBe('pending');
    expect(outcomeOf({ kind: 'response', status: 408, retryAfter: null }, 1, 10, now).state).toBe('pending');
  });

  it('stops on other refusals, gives up after the budget, and succeeds on 2xx', () => {
    expect(outcomeOf({ kind: 'response', status: 404, retryAfter: null }, 1, 10, now)).toMatchObject({
      state: 'failed',
      nextAttemptAt: null,
    });
    expect(outcomeOf({ kind: 'response', status: 500, retryAfter: null }, 10, 10, now)).toMatchObject({
      state: 'dead',
      error: 'The receiver answered HTTP 500; gave up after 10 attempts',
    });
    expect(outcomeOf({ kind: 'response', status: 204, retryAfter: null }, 2, 10, now).state).toBe(
      'succeeded',
    );
  });
});
