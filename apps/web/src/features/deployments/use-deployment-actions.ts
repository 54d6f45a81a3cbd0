import { endpoints, type BodyOf, type Deployment } from '@flightdeck/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../config/api';
import { queryKeys } from '../../config/query-keys';
import { patchBoardCell } from '../board/board-cache';

export type CreateDeploymentBody = BodyOf<typeof endpoints.createDeployment>;

interface CreateDeploymentInput {
  body: CreateDeploymentBody;
  idempotencyKey: string;
  // The release as the board knows it, so the cell can show it moving before the refetch.
  release: { id: string; version: string; commitSha: string; createdAt: string };
}

// The dialog shows refusals (blocked gates, already in progress, 403) next to the button: no toast.
export function useCreateDeployment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: CreateDeploymentInput) =>
      api.request(endpoints.createDeployment, { body, headers: { 'idempotency-key': idempotencyKey } }),
    meta: { inlineError: true },
    onSuccess: (deployment, { release }) => {
      patchBoardCell(queryClient, deployment.stageId, (cell) => ({
        ...cell,
        lastDeployment: {
          id: deployment.id,
          status: deployment.status,
          kind: deployment.kind,
          breakGlass: deployment.breakGlass,
          release,
          createdAt: deployment.createdAt,
          finishedAt: deployment.finishedAt,
        },
      }));
      void queryClient.invalidateQueries({ queryKey: queryKeys.board.all() });
      void queryClient.invalidateQueries({ queryKey: queryKeys.deployments.all() });
    },
  });
}

export function useCancelDeployment(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (reason: string) =>
      api.request(endpoints.cancelDeployment, { params: { id }, body: { reason } }),
    meta: { inlineError: true },
    onSuccess: (deployment: Deployment) => {
      queryClient.setQueryData(queryKeys.deployments.detail(id), (previous) =>
        previous ? { ...previous, ...deployment } : previous,
      );
      void queryClient.invalidateQueries({ queryKey: queryKeys.deployments.all() });
      void queryClient.invalidateQueries({ queryKey: queryKeys.board.all() });
    },
  });
}
