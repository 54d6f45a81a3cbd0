import { endpoints, type DeploymentDetail } from '@flightdeck/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
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
