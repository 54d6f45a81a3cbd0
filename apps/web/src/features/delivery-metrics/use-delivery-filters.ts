import { useSearchParams } from 'react-router';
import type { DeliveryMetricsRequest } from './delivery-metrics-queries';

export const PERIODS = ['7', '30', '90', 'custom'] as const;
export type Period = (typeof PERIODS)[number];

export interface DeliveryFilters {
  period: Period;
  // YYYY-MM-DD, both ends included, for a custom period.
  from: string;
  to: string;
  service: string;
  team: string;
  environment: string;
}

const DAY = 86_400_000;

export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

// A preset covers that many UTC days up to now (today included); a custom period whole UTC days.
// Long periods are drawn per week so a chart keeps a readable number of bars.
export function requestFor(filters: DeliveryFilters, now: Date): DeliveryMetricsRequest | { error: string } {
  const scope = {
    ...(filters.service ? { serviceId: filters.service } : {}),
    ...(filters.team ? { teamId: filters.team } : {}),
    ...(filters.environment ? { environmentId: filters.environment } : {}),
  };
  if (filters.period !== 'custom') {
    const days = Number(filters.period);
    const from = new Date(Date.parse(isoDay(now)) - (days - 1) * DAY);
    return { ...scope, from: from.toISOString(), bucket: days > 31 ? 'week' : 'day' };
  }
  const from = Date.parse(filters.from);
  const to = Date.parse(filters.to);
  if (Number.isNaN(from) || Number.isNaN(to)) return { error: 'Choose both a start and an end date.' };
  if (to < from) return { error: 'The end date must be on or after the start date.' };
  const end = Math.min(to + DAY, Math.max(now.getTime(), from + DAY));
  return {
    ...scope,
    from: new Date(from).toISOString(),
    to: new Date(end).toISOString(),
    bucket: (end - from) / DAY > 45 ? 'week' : 'day',
  };
}

// Filters live in the URL, so a view of the metrics can be linked.
export function useDeliveryFilters(now: Date) {
  const [params, setParams] = useSearchParams();
  const period = (PERIODS as readonly string[]).includes(params.get('period') ?? '')
    ? (params.get('period') as Period)
    : '30';
  const filters: DeliveryFilters = {
    period,
    from: params.get('from') ?? isoDay(new Date(now.getTime() - 29 * DAY)),
    to: params.get('to') ?? isoDay(now),
    service: params.get('service') ?? '',
    team: params.get('team') ?? '',
    environment: params.get('environment') ?? '',
  };
  const update = (patch: Partial<DeliveryFilters>) => {
    const next = { ...filters, ...patch };
    const entries = Object.entries(next).filter(([key, value]) => {
      if (!value) return false;
      if (key === 'period') return value !== '30';
      if (key === 'from' || key === 'to') return next.period === 'custom';
      return true;
    });
    setParams(Object.fromEntries(entries), { replace: true });
  };
  return { filters, update };
}
