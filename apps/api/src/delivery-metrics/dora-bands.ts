import type { DoraBand } from '@flightdeck/contracts';

const HOUR = 3_600;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const MONTH = 30 * DAY;

// Performance levels of the Accelerate State of DevOps Report 2023 (DORA), made contiguous so every
// figure lands in exactly one band:
//   deployment frequency  elite: on demand (≥ 1 a day) · high: daily to weekly · medium: weekly to
//                         monthly · low: less than monthly
//   lead time for changes elite: < 1 day · high: < 1 week · medium: < 1 month · low: longer
//   change failure rate   elite: ≤ 5% · high: ≤ 10% · medium: ≤ 15% · low: more
//   time to restore       elite: < 1 hour · high: < 1 day · medium: < 1 week · low: longer
const BANDS = ['elite', 'high', 'medium'] as const;

// The first band whose limit the value meets, else low; null when there is nothing to rate.
function bandOf(
  value: number | null,
  limits: readonly [number, number, number],
  meets: (value: number, limit: number) => boolean,
): DoraBand | null {
  if (value === null) return null;
  const index = limits.findIndex((limit) => meets(value, limit));
  return index === -1 ? 'low' : BANDS[index]!;
}

const atLeast = (value: number, limit: number) => value >= limit;
const under = (value: number, limit: number) => value < limit;
const atMost = (value: number, limit: number) => value <= limit;

export function deploymentFrequencyBand(perDay: number): DoraBand {
  return bandOf(perDay, [1, 1 / 7, 1 / 30], atLeast)!;
}

export function leadTimeBand(medianSeconds: number | null): DoraBand | null {
  return bandOf(medianSeconds, [DAY, WEEK, MONTH], under);
}

export function changeFailureRateBand(rate: number | null): DoraBand | null {
  return bandOf(rate, [0.05, 0.1, 0.15], atMost);
}

export function timeToRestoreBand(medianSeconds: number | null): DoraBand | null {
  return bandOf(medianSeconds, [HOUR, DAY, WEEK], under);
}
