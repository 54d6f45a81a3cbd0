import { endpoints } from '@flightdeck/contracts';
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../config/api';
import { queryKeys } from '../../config/query-keys';

export function deploymentEvidenceQueryOptions(id: string) {
  return queryOptions({
    queryKey: queryKeys.deployments.evidence(id),
    queryFn: ({ signal }) => api.request(endpoints.getDeploymentEvidence, { signal, params: { id } }),
    meta: { errorTitle: 'Could not load the evidence', inlineError: true },
  });
}
