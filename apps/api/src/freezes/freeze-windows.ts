import { CronExpressionParser } from 'cron-parser';
import { ValidationError } from '../common/errors.js';

export interface Span {
  readonly start: Date;
  readonly end: Date;
}

export type FreezeWindow =
  | { readonly kind: 'oneoff'; readonly startsAt: Date; readonly endsAt: Date }
  | {
      readonly kind: 'recurring';
      readonly cron: string;
      readonly durationMinutes: number;
      readonly timezone: string;
    };

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

// Refuses what would never open or cannot be read, naming the field.
export function assertValidWindow(window: FreezeWindow): void {
  if (window.kind === 'oneoff') return;
  const invalid = (field: string, message: string) =>
    new ValidationError('INVALID_BODY', `Invalid body parameter — window.${field}: ${message}`, {
      issues: [{ field: `window.${field}`, message }],
    });
  if (!isTimeZone(window.timezone))
    throw invalid('timezone', 'is not an IANA time zone such as Europe/Berlin');
  if (window.cron.trim().split(/\s+/).length !== 5) {
    throw invalid('cron', 'must have five fields: minute hour day-of-month month day-of-week');
  }
  try {
    CronExpressionParser.parse(window.cron, { tz: window.timezone }).next();
  } catch {
    throw invalid('cron', 'is not a cron expression, e.g. "0 16 * * 5" for Fridays at 16:00');
  }
}

// The window open at `at`, if any: a recurring window opened at the last cron time before `at` and
// lasts durationMinutes (time zone and daylight saving are the cron library's).
export function openWindow(window: FreezeWindow, at: Date): Span | null {
  if (window.kind === 'oneoff') {
    return window.startsAt <= at && at < window.endsAt
      ? { start: window.startsAt, end: window.endsAt }
      : null;
  }
  // The last opening at or before `at` (a second later, so an opening exactly now counts).
  const expression = CronExpressionParser.parse(window.cron, {
    tz: window.timezone,
    currentDate: new Date(at.getTime() + 1000),
  });
  const start = expression.prev().toDate();
  const end = new Date(start.getTime() + window.durationMinutes * 60_000);
  return at < end ? { start, end } : null;
}

export function nextWindow(window: FreezeWindow, at: Date): Span | null {
  if (window.kind === 'oneoff')
    return at < window.startsAt ? { start: window.startsAt, end: window.endsAt } : null;
  const start = CronExpressionParser.parse(window.cron, { tz: window.timezone, currentDate: at })
    .next()
    .toDate();
  return { start, end: new Date(start.getTime() + window.durationMinutes * 60_000) };
}
