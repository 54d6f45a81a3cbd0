import { describe, expect, it } from 'vitest';
import { DEPLOYMENT_STATUSES } from './enums.js';
import {
  ACTIVE_STATUSES,
  DEPLOYMENT_TRANSITIONS,
  TERMINAL_STATUSES,
  canTransition,
  isActive,
  isTerminal,
} from './transitions.js';

describe('deployment transitions', () => {
  it('covers every status', () => {
    expect(Object.keys(DEPLOYMENT_TRANSITIONS).sort()).toEqual([...DEPLOYMENT_STATUSES].sort());
  });

  it('follows the lifecycle of the design', () => {
    expect(canTransition('pending', 'queued')).toBe(true);
    expect(canTransition('queued', 'running')).toBe(true);
    expect(canTransition('running', 'verifying')).toBe(true);
    expect(canTransition('verifying', 'succeeded')).toBe(true);
    expect(canTransition('pending', 'succeeded')).toBe(false);
    expect(canTransition('running', 'succeeded')).toBe(false);
    expect(canTransition('succeeded', 'failed')).toBe(false);
  });

  it('has terminal states with no way out and every other state reaches one', () => {
    for (const status of TERMINAL_STATUSES) expect(isTerminal(status)).toBe(true);
    const reachesTerminal = (
      status: (typeof DEPLOYMENT_STATUSES)[number],
      seen = new Set<string>(),
    ): boolean => {
      if (isTerminal(status)) return true;
      if (seen.has(status)) return false;
      seen.add(status);
      return DEPLOYMENT_TRANSITIONS[status].some((next) => reachesTerminal(next, seen));
    };
    for (const status of DEPLOYMENT_STATUSES) expect(reachesTerminal(status)).toBe(true);
  });

  it('treats queued, running and verifying as active', () => {
    expect(DEPLOYMENT_STATUSES.filter(isActive)).toEqual([...ACTIVE_STATUSES]);
  });
});
