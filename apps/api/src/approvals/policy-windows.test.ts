import { describe, expect, it } from 'vitest';
import { describeSchedule, policyWindowGate, type PolicyWindowFacts } from './policy-windows.js';

const tue9 = new Date('2026-11-24T08:00:00Z'); // Tue 09:00 in Berlin
const facts = (over: Partial<PolicyWindowFacts>): PolicyWindowFacts => ({
  policy: 'Production policy',
  allow: null,
  deny: null,
  ...over,
});

describe('policy windows', () => {
  it('describes the common schedules in words and others by their expression', () => {
    const berlin = { durationMinutes: 420, timeZone: 'Europe/Berlin' };
    expect(describeSchedule({ cron: '0 9 * * 1-4', ...berlin })).toBe('Mon–Thu 09:00–16:00 Europe/Berlin');
    expect(describeSchedule({ cron: '30 22 * * 1,3,5', ...berlin })).toBe(
      'Mon, Wed, Fri 22:30–05:30 Europe/Berlin',
    );
    expect(describeSchedule({ cron: '0 9 1 * *', ...berlin })).toBe(
      '"0 9 1 * *" for 420 minutes (Europe/Berlin)',
    );
  });

  it('waits until an allow window opens, in its own time zone, and lets rollbacks through', () => {
    const allow = {
      open: null,
      next: { name: 'Mon–Thu 09:00–16:00 Europe/Berlin', timezone: 'Europe/Berlin', at: tue9 },
    };
    expect(policyWindowGate(facts({ allow }), 'promote')).toEqual({
      kind: 'window',
      state: 'waiting',
      message: 'Production policy allows deploys Mon–Thu 09:00–16:00 Europe/Berlin; next opens Tue 09:00',
      until: tue9.toISOString(),
    });
    expect(policyWindowGate(facts({ allow }), 'rollback')).toMatchObject({ state: 'pass' });
    expect(policyWindowGate(facts({ allow: { open: null, next: null } }), 'promote')).toMatchObject({
      state: 'fail',
    });
  });

  it('waits inside a deny window until it closes, even inside an allow window; rollbacks go through', () => {
    const deny = { open: { name: 'Black Friday', timezone: 'UTC', until: tue9 }, next: null };
    const allow = { open: { name: 'always', timezone: 'UTC', until: tue9 }, next: null };
    expect(policyWindowGate(facts({ allow, deny }), 'promote')).toEqual({
      kind: 'window',
      state: 'waiting',
      message: 'Production policy denies deploys Black Friday; closes Tue 08:00',
      until: tue9.toISOString(),
    });
    expect(policyWindowGate(facts({ deny }), 'rollback')).toMatchObject({
      state: 'pass',
      message: 'Production policy denies deploys Black Friday; closes Tue 08:00; rollbacks may go through',
    });
    expect(policyWindowGate(facts({ allow }), 'promote')).toMatchObject({ state: 'pass' });
    expect(policyWindowGate(null, 'promote')).toBeNull();
  });
});
