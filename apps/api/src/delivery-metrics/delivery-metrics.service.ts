import { Inject, Injectable } from '@nestjs/common';
import {
  DELIVERY_METRICS_DEFAULT_DAYS,
  DELIVERY_METRICS_MAX_DAYS,
  type DeliveryMetrics,
  type DeliveryMetricsQuery,
  type LeadTimeBasis,
} from '@flightdeck/contracts';
import { NotFoundError, ValidationError } from '../common/errors.js';
import { DeliveryMetricsRepository, type DeliveryRow } from './delivery-metrics.repository.js';
import {
  changeFailureRateBand,
  deploymentFrequencyBand,
  leadTimeBand,
  timeToRestoreBand,
} from './dora-bands.js';

const DAY_MS = 86_400_000;

function invalid(field: 'from' | 'to', message: string): ValidationError {
  return new ValidationError('INVALID_QUERY', `Invalid query parameter — ${field}: ${message}`, {
    issues: [{ field, message }],
  });
}

function basisOf(changes: number, withCommitTime: number): LeadTimeBasis {
  if (changes === 0) return 'none';
  if (withCommitTime === changes) return 'commit';
  return withCommitTime === 0 ? 'release' : 'mixed';
}

// Percentiles interpolate in floating point; milliseconds are precision enough.
const secondsOf = (value: number | null): number | null =>
  value === null ? null : Math.round(value * 1000) / 1000;

const ratio = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

@Injectable()
export class DeliveryMetricsService {
  constructor(@Inject(DeliveryMetricsRepository) private readonly repository: DeliveryMetricsRepository) {}

  async get(query: DeliveryMetricsQuery, now = new Date()): Promise<DeliveryMetrics> {
    const { from, to } = this.period(query, now);
    const filters = {
      serviceId: query.serviceId ?? null,
      teamId: query.teamId ?? null,
      environmentId: query.environmentId ?? null,
    };
    if (filters.serviceId && !(await this.repository.serviceExists(filters.serviceId))) {
      throw new NotFoundError('SERVICE_NOT_FOUND', `No service with id "${filters.serviceId}"`);
    }
    if (filters.teamId && !(await this.repository.teamExists(filters.teamId))) {
      throw new NotFoundError('TEAM_NOT_FOUND', `No team with id "${filters.teamId}"`);
    }
    const environments = await this.repository.findEnvironments(
      filters.environmentId ? [filters.environmentId] : null,
    );
    if (filters.environmentId && environments.length === 0) {
      throw new NotFoundError('ENVIRONMENT_NOT_FOUND', `No environment with id "${filters.environmentId}"`);
    }
    const rows = await this.repository.aggregate({
      from,
      to,
      bucket: query.bucket,
      environmentIds: environments.map((environment) => environment.id),
      serviceId: filters.serviceId,
      teamId: filters.teamId,
    });
    const total = rows.find((row) => row.total);
    if (!total) throw new Error('delivery metrics: the totals row is missing');
    const days = (to.getTime() - from.getTime()) / DAY_MS;
    const perDay = total.deployments / days;
    const rate = ratio(total.failures, total.deployments);
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      bucket: query.bucket,
      filters,
      environments,
      failureSources: ['rollback', 'incident'],
      deploymentFrequency: {
        deployments: total.deployments,
        perDay,
        band: deploymentFrequencyBand(perDay),
      },
      leadTime: {
        changes: total.deployments,
        medianSeconds: secondsOf(total.leadMedian),
        p90Seconds: secondsOf(total.leadP90),
        basis: basisOf(total.deployments, total.withCommitTime),
        withCommitTime: total.withCommitTime,
        band: leadTimeBand(secondsOf(total.leadMedian)),
      },
      changeFailureRate: {
        deployments: total.deployments,
        failures: total.failures,
        rate,
        band: changeFailureRateBand(rate),
      },
      timeToRestore: {
        restored: total.restored,
        open: total.failures - total.restored,
        medianSeconds: secondsOf(total.restoreMedian),
        band: timeToRestoreBand(secondsOf(total.restoreMedian)),
      },
      series: rows.filter((row) => !row.total).map((row) => this.bucketOf(row, query.bucket, from, to)),
    };
  }

  // Defaults: up to now, over the 30 days before the end.
  private period(query: DeliveryMetricsQuery, now: Date): { from: Date; to: Date } {
    const to = query.to ? new Date(query.to) : now;
    const from = query.from
      ? new Date(query.from)
      : new Date(to.getTime() - DELIVERY_METRICS_DEFAULT_DAYS * DAY_MS);
    if (from >= to) {
      throw query.to ? invalid('to', 'must be after from') : invalid('from', 'must be in the past');
    }
    if (to.getTime() - from.getTime() > DELIVERY_METRICS_MAX_DAYS * DAY_MS) {
      throw invalid('from', `the period may span at most ${DELIVERY_METRICS_MAX_DAYS} days`);
    }
    return { from, to };
  }

  private bucketOf(row: DeliveryRow, bucket: DeliveryMetricsQuery['bucket'], from: Date, to: Date) {
    const start = row.start!;
    const next = new Date(start.getTime() + (bucket === 'day' ? 1 : 7) * DAY_MS);
    return {
      start: new Date(Math.max(start.getTime(), from.getTime())).toISOString(),
      end: new Date(Math.min(next.getTime(), to.getTime())).toISOString(),
      deployments: row.deployments,
      leadTimeMedianSeconds: secondsOf(row.leadMedian),
      failures: row.failures,
      changeFailureRate: ratio(row.failures, row.deployments),
      restoreMedianSeconds: secondsOf(row.restoreMedian),
    };
  }
}
