import type { DoraBand } from '@flightdeck/contracts';
import { CircleDashed, Minus, TrendingDown, TrendingUp, Trophy, type LucideIcon } from 'lucide-react';
import type { Tone } from '../../components/ui/tone';

// Band by colour, icon and text together.
export const BAND_META: Record<DoraBand | 'none', { label: string; tone: Tone; Icon: LucideIcon }> = {
  elite: { label: 'Elite', tone: 'success', Icon: Trophy },
  high: { label: 'High', tone: 'info', Icon: TrendingUp },
  medium: { label: 'Medium', tone: 'warning', Icon: Minus },
  low: { label: 'Low', tone: 'danger', Icon: TrendingDown },
  none: { label: 'No data', tone: 'neutral', Icon: CircleDashed },
};

// "45 min", "6.5 h", "3.2 d": one unit, enough precision to compare at a glance.
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3_600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86_400) return `${trim(seconds / 3_600)} h`;
  return `${trim(seconds / 86_400)} d`;
}

export function formatRate(rate: number | null): string {
  return rate === null ? '—' : `${trim(rate * 100)}%`;
}

export function formatPerDay(perDay: number): string {
  if (perDay >= 1 || perDay === 0) return `${trim(perDay)} a day`;
  return `${trim(perDay * 7)} a week`;
}

function trim(value: number): string {
  return value >= 10 ? String(Math.round(value)) : String(Math.round(value * 10) / 10);
}

// Bucket labels: "12 Jan" for days and weeks (a week is named by its Monday).
export function bucketLabel(iso: string): string {
  return new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
}
