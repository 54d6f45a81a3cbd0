import { describe, expect, it } from 'vitest';
import { assertValidWindow, nextWindow, openWindow } from './freeze-windows.js';

const fridays = {
  kind: 'recurring',
  cron: '0 16 * * 5',
  durationMinutes: 64 * 60,
  timezone: 'Europe/Berlin',
} as const;

describe('freeze windows', () => {
  it('opens a one-off window at its start and closes it at its end', () => {
    const window = {
      kind: 'oneoff',
      startsAt: new Date('2026-12-20T00:00:00Z'),
      endsAt: new Date('2027-01-04T00:00:00Z'),
    } as const;
    expect(openWindow(window, new Date('2026-12-19T23:59:59Z'))).toBeNull();
    expect(openWindow(window, new Date('2026-12-20T00:00:00Z'))).toEqual({
      start: window.startsAt,
      end: window.endsAt,
    });
    expect(openWindow(window, new Date('2027-01-04T00:00:00Z'))).toBeNull();
    expect(nextWindow(window, new Date('2026-12-01T00:00:00Z'))?.start).toEqual(window.startsAt);
  });

  it('opens a recurring window at each cron time in its time zone, for its duration', () => {
    // Friday 16:00 in Berlin (CET, UTC+1) until Monday 08:00.
    expect(openWindow(fridays, new Date('2026-11-27T14:59:00Z'))).toBeNull();
    const open = openWindow(fridays, new Date('2026-11-27T15:00:00Z'));
    expect(open).toEqual({ start: new Date('2026-11-27T15:00:00Z'), end: new Date('2026-11-30T07:00:00Z') });
    expect(openWindow(fridays, new Date('2026-11-29T12:00:00Z'))?.end).toEqual(
      new Date('2026-11-30T07:00:00Z'),
    );
    expect(openWindow(fridays, new Date('2026-11-30T07:00:00Z'))).toBeNull();
    expect(nextWindow(fridays, new Date('2026-11-30T08:00:00Z'))?.start).toEqual(
      new Date('2026-12-04T15:00:00Z'),
    );
  });

  it('follows daylight saving time', () => {
    // In summer Berlin is UTC+2: the same 16:00 is 14:00 UTC.
    expect(openWindow(fridays, new Date('2026-07-03T14:00:00Z'))?.start).toEqual(
      new Date('2026-07-03T14:00:00Z'),
    );
  });

  it('refuses a bad time zone or cron expression, naming the field', () => {
    expect(() => assertValidWindow({ ...fridays, timezone: 'Mars/Olympus' })).toThrow(/window.timezone/);
    expect(() => assertValidWindow({ ...fridays, cron: 'every friday' })).toThrow(/window.cron/);
    expect(() => assertValidWindow({ ...fridays, cron: '0 16 * * 9' })).toThrow(/window.cron/);
  });
});
