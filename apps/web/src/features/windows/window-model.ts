import type { DeploymentWindow } from '@flightdeck/contracts';
import { formatMoment } from '../../lib/time';

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const DAY_ALIASES: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

function dayNumber(token: string): number | null {
  const alias = DAY_ALIASES[token.toLowerCase()];
  if (alias !== undefined) return alias;
  if (!/^\d$/.test(token)) return null;
  const day = Number(token);
  // Cron accepts 7 for Sunday as well as 0.
  return day <= 7 ? day % 7 : null;
}

function integerIn(token: string, max: number): number | null {
  if (!/^\d{1,2}$/.test(token)) return null;
  const value = Number(token);
  return value <= max ? value : null;
}

// "1-5" → "Mon–Fri", "0,6" → "Sun, Sat", "*" → "Every day"; anything with steps is left to the raw cron.
function describeDays(field: string): string | null {
  if (field === '*' || field === '?') return 'Every day';
  const parts = field.split(',').map((part) => {
    const [from, to, ...rest] = part.split('-');
    if (rest.length > 0 || from === undefined) return null;
    const start = dayNumber(from);
    if (start === null) return null;
    if (to === undefined) return DAY_NAMES[start]!;
    const end = dayNumber(to);
    return end === null ? null : `${DAY_NAMES[start]}–${DAY_NAMES[end]}`;
  });
  return parts.every((part) => part !== null) ? parts.join(', ') : null;
}

function joinWords(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

// "0 9,14" → "09:00 and 14:00"; the window's own wall clock, so no locale or zone conversion.
function describeTimes(minuteField: string, hourField: string): string | null {
  const minute = integerIn(minuteField, 59);
  if (minute === null) return null;
  const hours = hourField.split(',').map((hour) => integerIn(hour, 23));
  if (hours.some((hour) => hour === null)) return null;
  const pad = (value: number) => String(value).padStart(2, '0');
  return joinWords(hours.map((hour) => `${pad(hour!)}:${pad(minute)}`));
}

// 480 → "8 h", 90 → "1 h 30 min", 3840 → "2 d 16 h".
export function formatMinutes(minutes: number): string {
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  return [days ? `${days} d` : '', hours ? `${hours} h` : '', rest ? `${rest} min` : '']
    .filter(Boolean)
    .join(' ');
}

// The opening times in words ("Mon–Fri 09:00"), or null when the cron says more than words here can.
export function describeCron(cron: string): string | null {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) return null;
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields as [string, string, string, string, string];
  const times = describeTimes(minute, hour);
  if (times === null || month !== '*') return null;
  if (dayOfMonth === '*' || dayOfMonth === '?') {
    const days = describeDays(dayOfWeek);
    return days === null ? null : `${days} ${times}`;
  }
  const date = integerIn(dayOfMonth, 31);
  return date !== null && date > 0 && dayOfWeek === '*' ? `Day ${date} of every month ${times}` : null;
}

// "Mon–Fri 09:00 for 8 h, Europe/Berlin".
export function describeSchedule(window: Pick<DeploymentWindow, 'cron' | 'durationMinutes' | 'timezone'>) {
  const opens = describeCron(window.cron) ?? 'Custom schedule';
  return `${opens} for ${formatMinutes(window.durationMinutes)}, ${window.timezone}`;
}

const timeOfDay = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

function sameLocalDay(a: Date, b: Date): boolean {
  return a.toDateString() === b.toDateString();
}

// In the user's zone: "17:00" later today, "Mon 09:00" within the week, a date after that.
export function formatUntil(iso: string, now: number): string {
  const date = new Date(iso);
  return sameLocalDay(date, new Date(now)) && date.getTime() >= now
    ? timeOfDay.format(date)
    : formatMoment(iso, now);
}

export type WindowStatus =
  { kind: 'open'; until: string } | { kind: 'closed'; opens: string } | { kind: 'never' };

export function statusOf(window: Pick<DeploymentWindow, 'current' | 'next'>): WindowStatus {
  if (window.current) return { kind: 'open', until: window.current.end };
  if (window.next) return { kind: 'closed', opens: window.next.start };
  return { kind: 'never' };
}

// What the windows of one environment mean for a deployment right now.
export type EnvironmentStatus =
  { kind: 'unrestricted' } | { kind: 'open'; until: string } | { kind: 'closed'; opens: string | null };

export function environmentStatus(windows: readonly DeploymentWindow[]): EnvironmentStatus {
  if (windows.length === 0) return { kind: 'unrestricted' };
  const open = windows.flatMap((window) => (window.current ? [window.current.end] : []));
  if (open.length > 0) return { kind: 'open', until: latest(open) };
  const next = windows.flatMap((window) => (window.next ? [window.next.start] : []));
  return { kind: 'closed', opens: next.length > 0 ? earliest(next) : null };
}

function latest(isos: readonly string[]): string {
  return isos.reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));
}

function earliest(isos: readonly string[]): string {
  return isos.reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a));
}

export interface EnvironmentWindows {
  slug: string;
  name: string;
  windows: DeploymentWindow[];
}

// Every environment in promotion order, each with its windows (the API already orders them by name).
export function groupByEnvironment(
  environments: ReadonlyArray<{ slug: string; name: string; position: number }>,
  windows: readonly DeploymentWindow[],
): EnvironmentWindows[] {
  const groups = [...environments]
    .sort((a, b) => a.position - b.position)
    .map((environment) => ({
      slug: environment.slug,
      name: environment.name,
      windows: [] as DeploymentWindow[],
    }));
  for (const window of windows) {
    let group = groups.find((entry) => entry.slug === window.environmentSlug);
    if (!group) {
      // An environment the list above does not know yet (created since): still shown, by slug.
      group = { slug: window.environmentSlug, name: window.environmentSlug, windows: [] };
      groups.push(group);
    }
    group.windows.push(window);
  }
  return groups;
}
