import { endpoints, type QueryInputOf } from '@flightdeck/contracts';
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api } from '../../config/api';
import { queryKeys } from '../../config/query-keys';

export type DeliveryMetricsRequest = QueryInputOf<typeof endpoints.getDeliveryMetrics>;

export function deliveryMetricsQueryOptions(query: DeliveryMetricsRequest) {
  return queryOptions({
    queryKey: queryKeys.deliveryMetrics(query),
    queryFn: ({ signal }) => api.request(endpoints.getDeliveryMetrics, { signal, query }),
    // Changing a filter keeps the last figures on screen until the new ones arrive.
    placeholderData: keepPreviousData,
    staleTime: 60_000,
    meta: { errorTitle: 'Could not load delivery metrics', inlineError: true },
  });
}
