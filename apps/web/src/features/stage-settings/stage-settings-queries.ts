import { endpoints, type StageDetail } from '@flightdeck/contracts';
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../config/api';
import { queryKeys } from '../../config/query-keys';
import type { UpdateStageBody } from './stage-settings-model';

export function stageQueryOptions(serviceSlug: string, stageId: string) {
  return queryOptions({
    queryKey: queryKeys.stage(serviceSlug, stageId),
    queryFn: ({ signal }) => api.request(endpoints.getStage, { signal, params: { id: stageId } }),
    meta: { errorTitle: 'Could not load the stage settings', inlineError: true },
  });
}

// The dialog shows failures next to its fields (a 409 says which deployment is in the way), so no toast.
export function useUpdateStage(serviceSlug: string, stageId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateStageBody) =>
      api.request(endpoints.updateStage, { params: { id: stageId }, body }),
    meta: { inlineError: true },
    onSuccess: (stage: StageDetail) => {
      queryClient.setQueryData(queryKeys.stage(serviceSlug, stageId), stage);
      // The service's prefix covers its stage list (the pipeline) and this stage; the board shows the driver.
      void queryClient.invalidateQueries({ queryKey: queryKeys.services.detail(serviceSlug) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.board.all() });
    },
  });
}
