import {
  type Gate,
  type PolicyWindow,
  type PolicyWindowInput,
  policyWindowInputSchema,
} from '@flightdeck/contracts';
import { z } from 'zod';
import { ValidationError } from '../common/errors.js';
import { assertValidWindow } from '../freezes/freeze-windows.js';

// A policy's windows as the gate sees them at one moment (see `windowsAt` in gate-facts): the open
// one that stays open longest and the next to open, each with the words that name it.
export interface Opening {
  readonly name: string;
  readonly timezone: string;
  readonly until: Date;
}
export interface Upcoming {
  readonly name: string;
  readonly timezone: string;
  readonly at: Date;
}
export interface PolicyWindowFacts {
  // "Production policy", "Stage policy of checkout-api in production".
  readonly policy: string;
  // Null when the policy has no window of that kind.
  readonly allow: { readonly open: Opening | null; readonly next: Upcoming | null } | null;
  readonly deny: { readonly open: Opening | null; readonly next: Upcoming | null } | null;
}

const storedWindows = z.array(policyWindowInputSchema);

// The stored JSON column, as written by `assertValidPolicyWindows` (anything else reads as none).
export function windowsOf(value: unknown): PolicyWindowInput[] {
  const parsed = storedWindows.safeParse(value);
  return parsed.success ? parsed.data : [];
}

// Refuses a window that cannot be read or would never open, naming it by its place in the list.
export function assertValidPolicyWindows(windows: readonly PolicyWindowInput[]): void {
  windows.forEach((window, index) => {
    try {
      assertValidWindow({
        kind: 'recurring',
        cron: window.cron,
        durationMinutes: window.durationMinutes,
        timezone: window.timeZone,
      });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      // The freeze validator names `window.timezone`/`window.cron`; here it is `windows.N.timeZone`.
      const { issues } = error.details as { issues: Array<{ field: string; message: string }> };
      const renamed = issues.map((issue) => ({
        ...issue,
        field: `windows.${index}.${issue.field.replace(/^window\./, '').replace('timezone', 'timeZone')}`,
      }));
      throw new ValidationError(
        error.code,
        `Invalid body parameter — ${renamed.map((issue) => `${issue.field}: ${issue.message}`).join(', ')}`,
        { issues: renamed },
      );
    }
  });
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const pad = (n: number) => String(n).padStart(2, '0');

function days(field: string): string | null {
  if (field === '*') return 'daily';
  const parts = field.split(',').map((part) => {
    const range = /^(\d)-(\d)$/.exec(part);
    if (range) return `${DAYS[Number(range[1])]}–${DAYS[Number(range[2])]}`;
    return /^\d$/.test(part) ? DAYS[Number(part)] : null;
  });
  return parts.every((part) => part !== null && part !== undefined) ? parts.join(', ') : null;
}

// "Mon–Thu 09:00–16:00 Europe/Berlin" for the common shape (one time a day on some weekdays, for
// less than a day); the expression itself otherwise.
export function describeSchedule(
  window: Pick<PolicyWindowInput, 'cron' | 'durationMinutes' | 'timeZone'>,
): string {
  const [minute, hour, dom, month, dow] = window.cron.trim().split(/\s+/);
  const on = dow === undefined ? null : days(dow);
  if (
    /^\d+$/.test(minute ?? '') &&
    /^\d+$/.test(hour ?? '') &&
    dom === '*' &&
    month === '*' &&
    on &&
    window.durationMinutes < 24 * 60
  ) {
    const start = Number(hour) * 60 + Number(minute);
    const end = (start + window.durationMinutes) % (24 * 60);
    const clock = (m: number) => `${pad(Math.floor(m / 60))}:${pad(m % 60)}`;
    return `${on} ${clock(start)}–${clock(end)} ${window.timeZone}`;
  }
  return `"${window.cron}" for ${window.durationMinutes} minutes (${window.timeZone})`;
}

export function mapPolicyWindow(window: PolicyWindowInput): PolicyWindow {
  const schedule = describeSchedule(window);
  return { ...window, summary: window.label ? `${window.label} (${schedule})` : schedule };
}

// "Tue 09:00" in the window's own time zone: the clock the policy was written in.
function local(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  })
    .format(date)
    .replace(',', '');
}

const gate = (state: Gate['state'], message: string, until: Date | null = null): Gate => ({
  kind: 'window',
  state,
  message,
  until: until?.toISOString() ?? null,
});

// The policy's windows as one `window` gate (null when it has none). Rollbacks pass them, as they
// pass the environment's deployment windows and freezes.
export function policyWindowGate(facts: PolicyWindowFacts | null, action: string): Gate | null {
  if (!facts || (!facts.allow && !facts.deny)) return null;
  const { policy, allow, deny } = facts;
  if (deny?.open) {
    const closes = `${policy} denies deploys ${deny.open.name}; closes ${local(deny.open.until, deny.open.timezone)}`;
    return action === 'rollback'
      ? gate('pass', `${closes}; rollbacks may go through`)
      : gate('waiting', closes, deny.open.until);
  }
  if (allow && !allow.open) {
    if (action === 'rollback')
      return gate('pass', `Outside ${policy}'s windows; rollbacks may go at any time`);
    return allow.next
      ? gate(
          'waiting',
          `${policy} allows deploys ${allow.next.name}; next opens ${local(allow.next.at, allow.next.timezone)}`,
          allow.next.at,
        )
      : gate('fail', `${policy} allows deploys only inside its windows, and none opens again`);
  }
  if (allow?.open) {
    return gate(
      'pass',
      `Inside ${policy}'s window ${allow.open.name} (open until ${local(allow.open.until, allow.open.timezone)})`,
    );
  }
  return gate('pass', `No deny window of ${policy} is open`);
}
