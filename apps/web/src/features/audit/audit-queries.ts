import { endpoints } from '@flightdeck/contracts';
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { api } from '../../config/api';
import { queryKeys } from '../../config/query-keys';
import type { AuditFilters } from './use-audit-filters';

export const AUDIT_PAGE_SIZE = 50;

export function auditEventsQueryOptions(filters: AuditFilters) {
  return infiniteQueryOptions({
    queryKey: queryKeys.audit.events(filters),
    queryFn: ({ signal, pageParam }) =>
      api.request(endpoints.listAuditEvents, {
        signal,
        query: {
          ...filters,
          outcome: filters.outcome as 'success' | 'denied' | 'failure' | undefined,
          cursor: pageParam,
          limit: AUDIT_PAGE_SIZE,
        },
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    meta: { errorTitle: 'Could not load audit events', inlineError: true },
  });
}

export function auditVerificationQueryOptions() {
  return queryOptions({
    queryKey: queryKeys.audit.verification(),
    queryFn: ({ signal }) => api.request(endpoints.verifyAuditChain, { signal }),
    // Recomputing the chain walks the whole ledger: on demand and every few minutes, not on every focus.
    staleTime: 5 * 60_000,
    refetchOnWindowFocus: false,
    meta: { errorTitle: 'Could not verify the audit chain', inlineError: true },
  });
}
