import {
  endpoints,
  type DeploymentDetail,
  type PutStageChecklistBody,
  type StageChecklist,
} from '@flightdeck/contracts';
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../config/api';
import { queryKeys } from '../../config/query-keys';
import { deploymentQueryOptions } from '../deployments/deployment-queries';

// The requester confirms one item; the answer is the deployment as it stands (queued after the last).
export function useConfirmChecklistItem(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (itemId: string) =>
      api.request(endpoints.confirmChecklistItem, { params: { id }, body: { itemId, checked: true } }),
    meta: { inlineError: true },
    onSuccess: (deployment: DeploymentDetail) => {
      queryClient.setQueryData(deploymentQueryOptions(id).queryKey, deployment);
      void queryClient.invalidateQueries({ queryKey: queryKeys.board.all() });
    },
  });
}

// Under the stage's key, like its other settings.
const stageChecklistKey = (serviceSlug: string, stageId: string) =>
  [...queryKeys.stage(serviceSlug, stageId), 'checklist'] as const;

export function stageChecklistQueryOptions(serviceSlug: string, stageId: string) {
  return queryOptions({
    queryKey: stageChecklistKey(serviceSlug, stageId),
    queryFn: ({ signal }) => api.request(endpoints.getStageChecklist, { signal, params: { id: stageId } }),
    meta: { errorTitle: 'Could not load the checklist', inlineError: true },
  });
}

export function useSaveStageChecklist(serviceSlug: string, stageId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: PutStageChecklistBody) =>
      api.request(endpoints.putStageChecklist, { params: { id: stageId }, body }),
    meta: { inlineError: true },
    onSuccess: (checklist: StageChecklist) => {
      queryClient.setQueryData(stageChecklistKey(serviceSlug, stageId), checklist);
      // Pending deployments there now wait for the new items.
      void queryClient.invalidateQueries({ queryKey: queryKeys.deployments.all() });
      void queryClient.invalidateQueries({ queryKey: queryKeys.board.all() });
    },
  });
}
