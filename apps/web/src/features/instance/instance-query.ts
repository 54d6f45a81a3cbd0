import { endpoints } from '@flightdeck/contracts';
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../config/api';
import { queryKeys } from '../../config/query-keys';

export function instanceQueryOptions() {
  return queryOptions({
    queryKey: queryKeys.instance(),
    queryFn: ({ signal }) => api.request(endpoints.getInstanceInfo, { signal }),
    // Version and modes change only on restart.
    staleTime: 5 * 60_000,
    meta: { errorTitle: 'Could not load instance information' },
  });
}
