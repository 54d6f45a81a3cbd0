import { describe, expect, it } from 'vitest';
import { formatAge, shortSha } from './time';

const now = Date.parse('2026-11-22T12:00:00Z');
const at = (ms: number) => new Date(now - ms).toISOString();

describe('formatAge', () => {
  it.each([
    [10_000, 'just now'],
    [5 * 60_000, '5m ago'],
    [3 * 3_600_000 + 59 * 60_000, '3h ago'],
    [2 * 86_400_000, '2d ago'],
    [65 * 86_400_000, '2mo ago'],
    [400 * 86_400_000, '1y ago'],
  ])('%i ms ago reads "%s"', (elapsed, text) => {
    expect(formatAge(at(elapsed), now)).toBe(text);
  });

  it('never shows the future (clock skew between server and browser)', () => {
    expect(formatAge(at(-30_000), now)).toBe('just now');
  });
});

describe('shortSha', () => {
  it('keeps seven characters', () => {
    expect(shortSha('abc1234def5678')).toBe('abc1234');
  });
});
