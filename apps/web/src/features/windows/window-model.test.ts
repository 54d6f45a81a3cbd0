import type { DeploymentWindow } from '@flightdeck/contracts';
import { describe, expect, it } from 'vitest';
import {
  describeCron,
  describeSchedule,
  environmentStatus,
  formatMinutes,
  groupByEnvironment,
} from './window-model';

function window(patch: Partial<DeploymentWindow>): DeploymentWindow {
  return {
    id: '00000000-0000-4000-9000-000000000001',
    environmentSlug: 'production',
    name: 'Office hours',
    cron: '0 9 * * 1-5',
    durationMinutes: 480,
    timezone: 'Europe/Berlin',
    current: null,
    next: null,
    createdBy: 'grace@example.com',
    createdAt: '2026-11-01T09:00:00.000Z',
    ...patch,
  };
}

describe('window model', () => {
  it('puts common crons into words and leaves the rest to the raw expression', () => {
    expect(describeCron('0 9 * * 1-5')).toBe('Mon–Fri 09:00');
    expect(describeCron('30 22 * * *')).toBe('Every day 22:30');
    expect(describeCron('0 6 * * 0,6')).toBe('Sun, Sat 06:00');
    expect(describeCron('0 9,14 * * MON-THU')).toBe('Mon–Thu 09:00 and 14:00');
    expect(describeCron('0 10 * * 7')).toBe('Sun 10:00');
    expect(describeCron('0 3 1 * *')).toBe('Day 1 of every month 03:00');
    expect(describeCron('*/15 9 * * 1-5')).toBeNull();
    expect(describeCron('0 9 * 1 *')).toBeNull();
    expect(describeCron('0 9 * *')).toBeNull();
  });

  it('says how long and in which zone', () => {
    expect(formatMinutes(480)).toBe('8 h');
    expect(formatMinutes(90)).toBe('1 h 30 min');
    expect(formatMinutes(3840)).toBe('2 d 16 h');
    expect(describeSchedule(window({}))).toBe('Mon–Fri 09:00 for 8 h, Europe/Berlin');
    expect(describeSchedule(window({ cron: '*/5 * * * *', durationMinutes: 4, timezone: 'UTC' }))).toBe(
      'Custom schedule for 4 min, UTC',
    );
  });

  it('sums up an environment: any time without windows, open while one is, else when the next opens', () => {
    expect(environmentStatus([])).toEqual({ kind: 'unrestricted' });
    const open = window({ current: { start: '2026-11-02T08:00:00Z', end: '2026-11-02T16:00:00Z' } });
    const later = window({ next: { start: '2026-11-04T08:00:00Z', end: '2026-11-04T16:00:00Z' } });
    const sooner = window({ next: { start: '2026-11-03T08:00:00Z', end: '2026-11-03T16:00:00Z' } });
    expect(environmentStatus([later, open])).toEqual({ kind: 'open', until: '2026-11-02T16:00:00Z' });
    expect(environmentStatus([later, sooner])).toEqual({ kind: 'closed', opens: '2026-11-03T08:00:00Z' });
  });

  it('lists every environment in promotion order with its windows', () => {
    const groups = groupByEnvironment(
      [
        { slug: 'production', name: 'Production', position: 3 },
        { slug: 'staging', name: 'Staging', position: 2 },
      ],
      [window({ name: 'A' }), window({ name: 'B', environmentSlug: 'qa' })],
    );
    expect(groups.map((group) => [group.slug, group.windows.map((entry) => entry.name)])).toEqual([
      ['staging', []],
      ['production', ['A']],
      ['qa', ['B']],
    ]);
  });
});
