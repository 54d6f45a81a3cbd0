import { endpoints, isTerminal, type ReleaseTrain } from '@flightdeck/contracts';
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../config/api';
import { queryKeys } from '../../config/query-keys';
import { DEPLOYMENT_REFRESH_MS } from '../deployments/deployment-queries';

export function trainInFlight(train: ReleaseTrain): boolean {
  return train.deployments.some((deployment) => !isTerminal(deployment.status));
}

export function trainQueryOptions(id: string) {
  return queryOptions({
    queryKey: queryKeys.deployments.train(id),
    queryFn: ({ signal }) => api.request(endpoints.getReleaseTrain, { signal, params: { id } }),
    // Live events refresh it on each transition; polling until every deployment ends is the safety net.
    refetchInterval: (query) =>
      query.state.data && trainInFlight(query.state.data) ? DEPLOYMENT_REFRESH_MS : false,
    meta: { errorTitle: 'Could not load the release train', inlineError: true },
  });
}
