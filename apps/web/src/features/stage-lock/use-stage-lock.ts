import { endpoints, type StageLock } from '@flightdeck/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../config/api';
import { queryKeys } from '../../config/query-keys';
import { patchBoardCell } from '../board/board-cache';

function useApplyLock() {
  const queryClient = useQueryClient();
  // The answer is the stage's lock now: show it at once, then refetch (the live event will follow too).
  return (result: StageLock) => {
    patchBoardCell(queryClient, result.stageId, (cell) => ({ ...cell, lock: result.lock }));
    void queryClient.invalidateQueries({ queryKey: queryKeys.board.all() });
  };
}

// The dialogs show failures (a 403 says why) next to the form, so no toast.
export function useLockStage(stageId: string) {
  const apply = useApplyLock();
  return useMutation({
    mutationFn: (reason: string) =>
      api.request(endpoints.lockStage, { params: { id: stageId }, body: { reason } }),
    meta: { inlineError: true },
    onSuccess: apply,
  });
}

export function useUnlockStage(stageId: string) {
  const apply = useApplyLock();
  return useMutation({
    mutationFn: () => api.request(endpoints.unlockStage, { params: { id: stageId } }),
    meta: { inlineError: true },
    onSuccess: apply,
  });
}
