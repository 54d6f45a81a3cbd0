import { useInfiniteQuery } from '@tanstack/react-query';
import { Download, ScrollText, SearchX } from 'lucide-react';
import { EmptyState } from '../../components/ui/empty-state';
import { PageHeader } from '../../components/ui/page-header';
import { TableState } from '../../components/ui/table-state';
import { paths } from '../../config/paths';
import { AuditEventRow } from './audit-event-row';
import { AuditFilterForm } from './audit-filter-form';
import { auditEventsQueryOptions } from './audit-queries';
import { ChainBadge } from './chain-badge';
import { filtersToQueryString, useAuditFilters } from './use-audit-filters';

export function AuditView() {
  const { filters, apply, active } = useAuditFilters();
  const query = useInfiniteQuery(auditEventsQueryOptions(filters));
  const events = query.data?.pages.flatMap((page) => page.items) ?? [];
  const exportHref = `${paths.auditExport}${filtersToQueryString(filters)}`;

  return (
    <div className="page page-wide">
      <PageHeader
        title="Audit log"
        description="Every change and every refused privileged attempt, append-only and hash-chained."
        actions={
          <>
            <ChainBadge />
            <a className="button" href={exportHref} download>
              <Download size={14} aria-hidden />
              Export JSON Lines
            </a>
          </>
        }
      >
        <AuditFilterForm key={filtersToQueryString(filters)} filters={filters} onApply={apply} />
      </PageHeader>
      <TableState
        query={query}
        errorTitle="Audit events could not be loaded"
        isEmpty={events.length === 0}
        skeletonRows={3}
        loadingLabel="Loading audit events…"
        empty={
          active ? (
            <EmptyState
              icon={<SearchX size={22} aria-hidden />}
              title="No events match these filters"
              actions={
                <button type="button" className="button" onClick={() => apply({})}>
                  Clear filters
                </button>
              }
            />
          ) : (
            <EmptyState icon={<ScrollText size={22} aria-hidden />} title="No audit events yet">
              <p>Sign-ins, changes and refused attempts appear here as they happen.</p>
            </EmptyState>
          )
        }
      >
        <div className="table-wrap">
          <table className="table audit-table" aria-label="Audit events">
            <thead>
              <tr>
                <th scope="col">
                  <span className="sr-only">Details</span>
                </th>
                <th scope="col">Time</th>
                <th scope="col">Actor</th>
                <th scope="col">Action</th>
                <th scope="col">Outcome</th>
                <th scope="col">Target</th>
                <th scope="col">Reason</th>
                <th scope="col">IP</th>
              </tr>
            </thead>
            <tbody>
              {events.map((event) => (
                <AuditEventRow key={event.id} event={event} />
              ))}
            </tbody>
          </table>
          <div className="load-more">
            {query.hasNextPage ? (
              <button
                type="button"
                className="button"
                onClick={() => void query.fetchNextPage()}
                disabled={query.isFetchingNextPage}
              >
                {query.isFetchingNextPage ? 'Loading…' : 'Load more'}
              </button>
            ) : (
              <p className="muted small">
                {events.length} {events.length === 1 ? 'event' : 'events'} · end of the log
                {active ? ' for these filters' : ''}
              </p>
            )}
          </div>
        </div>
      </TableState>
    </div>
  );
}
