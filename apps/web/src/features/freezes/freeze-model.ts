import type { Freeze } from '@flightdeck/contracts';

export interface FreezeGroups {
  // A window is open now.
  active: Freeze[];
  // Nothing open now, but a window will open: future one-offs and recurring freezes.
  upcoming: Freeze[];
  // One-offs that are over.
  past: Freeze[];
}

export function groupFreezes(freezes: readonly Freeze[]): FreezeGroups {
  const groups: FreezeGroups = { active: [], upcoming: [], past: [] };
  for (const freeze of freezes) {
    if (freeze.current) groups.active.push(freeze);
    else if (freeze.next) groups.upcoming.push(freeze);
    else groups.past.push(freeze);
  }
  // Soonest to thaw, soonest to start, most recently over.
  groups.active.sort((a, b) => Date.parse(a.current!.end) - Date.parse(b.current!.end));
  groups.upcoming.sort((a, b) => Date.parse(a.next!.start) - Date.parse(b.next!.start));
  groups.past.sort((a, b) => Date.parse(endOf(b)) - Date.parse(endOf(a)));
  return groups;
}

function endOf(freeze: Freeze): string {
  return freeze.window.kind === 'oneoff' ? freeze.window.endsAt : freeze.createdAt;
}

export function describeScope(freeze: Pick<Freeze, 'scope' | 'environmentSlug' | 'serviceSlug'>): string {
  if (freeze.scope === 'environment') return `Environment ${freeze.environmentSlug ?? '?'}`;
  if (freeze.scope === 'service') return `Service ${freeze.serviceSlug ?? '?'}`;
  return 'Everything';
}

export interface RecurringPreset {
  id: string;
  label: string;
  cron: string;
  durationMinutes: number;
}

export const RECURRING_PRESETS: readonly RecurringPreset[] = [
  // Friday 16:00 to Monday 08:00 is 2 days and 16 hours.
  { id: 'weekends', label: 'Weekends: Fri 16:00 → Mon 08:00', cron: '0 16 * * 5', durationMinutes: 64 * 60 },
  { id: 'nights', label: 'Every night 22:00 → 06:00', cron: '0 22 * * *', durationMinutes: 8 * 60 },
  {
    id: 'weekday-evenings',
    label: 'Weekday evenings: Mon–Fri 18:00 → 09:00',
    cron: '0 18 * * 1-5',
    durationMinutes: 15 * 60,
  },
];

export function presetOf(cron: string, durationMinutes: number): RecurringPreset | undefined {
  return RECURRING_PRESETS.find(
    (preset) => preset.cron === cron.trim() && preset.durationMinutes === durationMinutes,
  );
}

export function formatDuration(minutes: number): string {
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  return [days ? `${days}d` : '', hours ? `${hours}h` : '', rest ? `${rest}m` : ''].filter(Boolean).join(' ');
}

// A datetime-local value ("2026-11-27T16:00") is wall-clock time in the user's zone; the API wants ISO.
export function localInputToIso(value: string): string | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

// The reverse, for defaults: an instant as the user's wall-clock time, to the minute.
export function isoToLocalInput(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
