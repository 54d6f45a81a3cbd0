// "45s", "3m 12s", "2h 05m", "3d 4h": how long a step or a deployment took.
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h ${String(minutes % 60).padStart(2, '0')}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

export function durationBetween(fromIso: string | null, toIso: string | null): string | null {
  if (!fromIso || !toIso) return null;
  return formatDuration(Date.parse(toIso) - Date.parse(fromIso));
}
