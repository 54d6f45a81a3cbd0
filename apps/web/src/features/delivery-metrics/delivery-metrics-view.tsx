import type { DeliveryMetrics } from '@flightdeck/contracts';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ErrorState } from '../../components/ui/error-state';
import { PageHeader } from '../../components/ui/page-header';
import { Skeleton } from '../../components/ui/skeleton';
import { describeError } from '../../lib/errors';
import { BarChart } from './bar-chart';
import { bucketLabel, formatDuration, formatPerDay, formatRate } from './delivery-metrics-format';
import { MetricsFilters } from './delivery-metrics-filters';
import { deliveryMetricsQueryOptions } from './delivery-metrics-queries';
import { KpiTile } from './kpi-tile';
import { requestFor, useDeliveryFilters } from './use-delivery-filters';
import './delivery-metrics.css';

export function DeliveryMetricsView() {
  // One "now" per visit, so the request (and its cache key) stays put while the page is open.
  const [now] = useState(() => new Date());
  const { filters, update } = useDeliveryFilters(now);
  const request = requestFor(filters, now);
  const valid = !('error' in request);
  const query = useQuery({
    ...deliveryMetricsQueryOptions(valid ? request : {}),
    enabled: valid,
  });
  return (
    <div className="page">
      <PageHeader
        title="Delivery metrics"
        description="DORA's four keys: how often changes reach production, how fast, how often they fail and how quickly service comes back."
      />
      <MetricsFilters filters={filters} update={update} />
      {!valid ? (
        <p className="dm-filter-error" role="alert">
          {request.error}
        </p>
      ) : query.isPending ? (
        <div className="dm-tiles" aria-busy="true" aria-label="Loading delivery metrics">
          {[0, 1, 2, 3].map((index) => (
            <div key={index} className="dm-tile">
              <Skeleton width="60%" />
              <Skeleton width="40%" height="1.75rem" />
            </div>
          ))}
        </div>
      ) : query.error ? (
        <ErrorState
          title="Delivery metrics could not be loaded"
          error={describeError(query.error)}
          onRetry={() => void query.refetch()}
          retrying={query.isFetching}
        />
      ) : (
        <MetricsResult metrics={query.data} />
      )}
    </div>
  );
}

function periodText(metrics: DeliveryMetrics): string {
  const last = new Date(Date.parse(metrics.to) - 1);
  const format = (date: Date) =>
    date.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  return `${format(new Date(metrics.from))} – ${format(last)} (UTC), per ${metrics.bucket}`;
}

const LEAD_BASIS: Record<DeliveryMetrics['leadTime']['basis'], string> = {
  commit: 'from each release’s commit time',
  release: 'from release creation: no release here carried a commit time',
  mixed: 'from the commit time where known, else from release creation',
  none: 'no changes in this period',
};

function MetricsResult({ metrics }: { metrics: DeliveryMetrics }) {
  const { deploymentFrequency: frequency, leadTime, changeFailureRate: failure, timeToRestore } = metrics;
  const labels = metrics.series.map((bucket) => bucketLabel(bucket.start));
  const series = (pick: (bucket: DeliveryMetrics['series'][number]) => number | null) =>
    metrics.series.map((bucket, index) => ({ label: labels[index]!, value: pick(bucket) }));
  const environments = metrics.environments.map((environment) => environment.name).join(', ') || 'none';
  return (
    <>
      <p className="dm-scope">
        {periodText(metrics)} · {environments}
      </p>
      <div className="dm-tiles">
        <KpiTile
          title="Deployment frequency"
          value={formatPerDay(frequency.perDay)}
          detail={`${frequency.deployments} ${frequency.deployments === 1 ? 'change' : 'changes'} reached production`}
          band={frequency.band}
          explanation="Successful promotions and recorded deployments; rollbacks and redeploys ship no new change."
        />
        <KpiTile
          title="Lead time for changes"
          value={formatDuration(leadTime.medianSeconds)}
          detail={`median · p90 ${formatDuration(leadTime.p90Seconds)} · ${LEAD_BASIS[leadTime.basis]}`}
          band={leadTime.band}
          explanation="From the commit until the deployment succeeded."
        />
        <KpiTile
          title="Change failure rate"
          value={formatRate(failure.rate)}
          detail={`${failure.failures} of ${failure.deployments} changes failed`}
          band={failure.band}
          explanation="A change failed when it was rolled back or an incident names it as the cause."
        />
        <KpiTile
          title="Time to restore"
          value={formatDuration(timeToRestore.medianSeconds)}
          detail={`median · ${timeToRestore.restored} restored${timeToRestore.open ? ` · ${timeToRestore.open} not yet` : ''}`}
          band={timeToRestore.band}
          explanation="From the rollback request or the incident’s detection until the stage next deployed successfully."
        />
      </div>
      <div className="dm-charts">
        <BarChart
          title="Deployments"
          points={series((bucket) => bucket.deployments)}
          format={(value) => String(value ?? 0)}
        />
        <BarChart
          title="Lead time (median)"
          points={series((bucket) => bucket.leadTimeMedianSeconds)}
          format={formatDuration}
        />
        <BarChart
          title="Change failure rate"
          points={series((bucket) => bucket.changeFailureRate)}
          format={formatRate}
          tone="warning"
        />
        <BarChart
          title="Time to restore (median)"
          points={series((bucket) => bucket.restoreMedianSeconds)}
          format={formatDuration}
          tone="warning"
        />
      </div>
    </>
  );
}
