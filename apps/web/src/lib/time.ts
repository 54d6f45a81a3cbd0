const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// Compact age for dense tables: "just now", "5m ago", "3h ago", "4d ago", "2mo ago", "1y ago".
export function formatAge(iso: string, now: number): string {
  const elapsed = Math.max(0, now - Date.parse(iso));
  if (elapsed < MINUTE) return 'just now';
  if (elapsed < HOUR) return `${Math.floor(elapsed / MINUTE)}m ago`;
  if (elapsed < DAY) return `${Math.floor(elapsed / HOUR)}h ago`;
  if (elapsed < 30 * DAY) return `${Math.floor(elapsed / DAY)}d ago`;
  if (elapsed < 365 * DAY) return `${Math.floor(elapsed / (30 * DAY))}mo ago`;
  return `${Math.floor(elapsed / (365 * DAY))}y ago`;
}

const timestampFormat = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'medium',
  timeStyle: 'long',
});

// Full local timestamp for tooltips, e.g. "22 Nov 2026, 10:04:12 UTC".
export function formatTimestamp(iso: string): string {
  return timestampFormat.format(new Date(iso));
}

export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

// Past as "3h ago", future as "in 12d": for expiries next to creation times.
export function formatRelative(iso: string, now: number): string {
  const delta = Date.parse(iso) - now;
  if (delta <= MINUTE) return formatAge(iso, now);
  if (delta < HOUR) return `in ${Math.floor(delta / MINUTE)}m`;
  if (delta < DAY) return `in ${Math.floor(delta / HOUR)}h`;
  if (delta < 60 * DAY) return `in ${Math.floor(delta / DAY)}d`;
  if (delta < 365 * DAY) return `in ${Math.floor(delta / (30 * DAY))}mo`;
  return `in ${Math.floor(delta / (365 * DAY))}y`;
}

const weekdayTimeFormat = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  hour: '2-digit',
  minute: '2-digit',
});
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

// A moment in the user's zone, as short as stays unambiguous: "Mon 08:00" within the week ahead,
// otherwise "27 Nov 2026, 16:00".
export function formatMoment(iso: string, now: number): string {
  const delta = Date.parse(iso) - now;
  return delta >= 0 && delta < 6 * DAY
    ? weekdayTimeFormat.format(new Date(iso))
    : dateTimeFormat.format(new Date(iso));
}
