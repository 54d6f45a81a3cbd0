import { endpoints } from '@flightdeck/contracts';
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../config/api';
import { queryKeys } from '../../config/query-keys';

export function myTokensQueryOptions() {
  return queryOptions({
    queryKey: queryKeys.tokens.mine(),
    queryFn: ({ signal }) => api.request(endpoints.listMyTokens, { signal }),
    meta: { errorTitle: 'Could not load your API tokens', inlineError: true },
  });
}
