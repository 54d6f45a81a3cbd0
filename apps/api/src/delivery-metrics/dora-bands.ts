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
export function deploymentFrequencyBand(perDay: number): DoraBand {
  if (perDay >= 1) return 'elite';
  if (perDay >= 1 / 7) return 'high';
  if (perDay >= 1 / 30) return 'medium';
  return 'low';
}

export function leadTimeBand(medianSeconds: number | null): DoraBand | null {
  if (medianSeconds === null) return null;
  if (medianSeconds < DAY) return 'elite';
  if (medianSeconds < WEEK) return 'high';
  if (medianSeconds < MONTH) return 'medium';
  return 'low';
}

export function changeFailureRateBand(rate: number | null): DoraBand | null {
  if (rate === null) return null;
  if (rate <= 0.05) return 'elite';
  if (rate <= 0.1) return 'high';
  if (rate <= 0.15) return 'medium';
  return 'low';
}

export function timeToRestoreBand(medianSeconds: number | null): DoraBand | null {
  if (medianSeconds === null) return null;
  if (medianSeconds < HOUR) return 'elite';
  if (medianSeconds < DAY) return 'high';
  if (medianSeconds < WEEK) return 'medium';
  return 'low';
}
