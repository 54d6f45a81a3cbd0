import { endpoints, type BodyOf } from '@flightdeck/contracts';
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../config/api';
import { queryKeys } from '../../config/query-keys';

export function stageVerificationQueryOptions(serviceSlug: string, stageId: string) {
  return queryOptions({
    queryKey: queryKeys.stageVerification(serviceSlug, stageId),
    queryFn: ({ signal }) => api.request(endpoints.getStageVerification, { signal, params: { id: stageId } }),
    meta: { errorTitle: 'Could not load the verification settings', inlineError: true },
  });
}

// The dialog shows field errors and refusals next to the form: no toast.
export function useUpdateVerification(serviceSlug: string, stageId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: BodyOf<typeof endpoints.putStageVerification>) =>
      api.request(endpoints.putStageVerification, { params: { id: stageId }, body }),
    meta: { inlineError: true },
    onSuccess: (saved) => {
      queryClient.setQueryData(queryKeys.stageVerification(serviceSlug, stageId), saved);
    },
  });
}
