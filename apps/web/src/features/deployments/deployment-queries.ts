import { endpoints, isTerminal } from '@flightdeck/contracts';
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { api } from '../../config/api';
import { queryKeys } from '../../config/query-keys';

export const HISTORY_PAGE_SIZE = 10;
export const DEPLOYMENT_REFRESH_MS = 5_000;

export function stageHistoryQueryOptions(service: string, environment: string) {
  return infiniteQueryOptions({
    queryKey: queryKeys.deployments.list({ service, environment }),
    queryFn: ({ signal, pageParam }) =>
      api.request(endpoints.listDeployments, {
        signal,
        query: { service, environment, cursor: pageParam, limit: HISTORY_PAGE_SIZE },
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    meta: { errorTitle: `Could not load the ${environment} history`, inlineError: true },
  });
}

export function deploymentQueryOptions(id: string) {
  return queryOptions({
    queryKey: queryKeys.deployments.detail(id),
    queryFn: ({ signal }) => api.request(endpoints.getDeployment, { signal, params: { id } }),
    // Polls while the deployment can still move. The live stream (features/live) will invalidate this
    // key on each transition; the poll then stays as a safety net.
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status && !isTerminal(status) ? DEPLOYMENT_REFRESH_MS : false;
    },
    meta: { errorTitle: 'Could not load the deployment', inlineError: true },
  });
}
