import { endpoints, type Deployment, type Release } from '@flightdeck/contracts';
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../config/api';
import { queryKeys } from '../../config/query-keys';
import { patchBoardCell } from '../board/board-cache';

export function rollbackOptionsQueryOptions(stageId: string) {
  return queryOptions({
    queryKey: queryKeys.rollback(stageId),
    queryFn: ({ signal }) => api.request(endpoints.getRollbackOptions, { signal, params: { id: stageId } }),
    meta: { errorTitle: 'Could not load what this stage can roll back to', inlineError: true },
  });
}

interface RollbackInput {
  body: { releaseId: string; reason: string };
  idempotencyKey: string;
  release: Release;
}

// The dialog shows refusals (blocked gates, nothing to roll back to, 403) next to the button: no toast.
export function useRollbackStage(stageId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: RollbackInput) =>
      api.request(endpoints.rollbackStage, {
        params: { id: stageId },
        body,
        headers: { 'idempotency-key': idempotencyKey },
      }),
    meta: { inlineError: true },
    onSuccess: (deployment: Deployment, { release }) => {
      // The cell shows the rollback moving at once; the refetch (and the live events) confirm it.
      patchBoardCell(queryClient, stageId, (cell) => ({
        ...cell,
        lastDeployment: {
          id: deployment.id,
          status: deployment.status,
          kind: deployment.kind,
          breakGlass: deployment.breakGlass,
          release: {
            id: release.id,
            version: release.version,
            commitSha: release.commitSha,
            createdAt: release.createdAt,
          },
          createdAt: deployment.createdAt,
          finishedAt: deployment.finishedAt,
        },
      }));
      void queryClient.invalidateQueries({ queryKey: queryKeys.board.all() });
      void queryClient.invalidateQueries({ queryKey: queryKeys.deployments.all() });
    },
  });
}

export function useReleaseHold(stageId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.request(endpoints.releaseHold, { params: { id: stageId } }),
    meta: { inlineError: true },
    onSuccess: (result) => {
      patchBoardCell(queryClient, stageId, (cell) => ({ ...cell, hold: null }));
      // Board, previews and rollback options all live under the board's prefix.
      void queryClient.invalidateQueries({ queryKey: queryKeys.board.all() });
      return result;
    },
  });
}
