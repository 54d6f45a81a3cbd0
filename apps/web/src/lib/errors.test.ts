import { ApiError } from '@flightdeck/contracts';
import { describe, expect, it } from 'vitest';
import { describeError } from './errors';

describe('describeError', () => {
  it('keeps the API message and stable code', () => {
    expect(describeError(new ApiError(409, 'STAGE_LOCKED', 'Locked by alice.'))).toEqual({
      message: 'Locked by alice.',
      code: 'STAGE_LOCKED',
      status: 409,
    });
  });

  it('explains a gateway answering for an API that is down', () => {
    const summary = describeError(new ApiError(502, 'HTTP_ERROR', 'GET /api/v1/board answered 502'));
    expect(summary.code).toBe('API_UNAVAILABLE');
    expect(summary.message).toMatch(/not answering/);
  });

  it('explains a network failure and a non-JSON answer', () => {
    expect(describeError(new TypeError('Failed to fetch')).code).toBe('NETWORK_ERROR');
    expect(describeError(new SyntaxError('Unexpected token <')).code).toBe('BAD_RESPONSE');
  });
});
