import { endpoints, type BodyOf } from '@flightdeck/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../config/api';
import { queryKeys } from '../../config/query-keys';

export type CreateTrainBody = BodyOf<typeof endpoints.createReleaseTrain>;

// The dialog shows failures next to its fields: no toast.
export function useCreateTrain() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: CreateTrainBody; idempotencyKey: string }) =>
      api.request(endpoints.createReleaseTrain, { body, headers: { 'idempotency-key': idempotencyKey } }),
    meta: { inlineError: true },
    onSuccess: (train) => {
      queryClient.setQueryData(queryKeys.deployments.train(train.id), train);
      void queryClient.invalidateQueries({ queryKey: queryKeys.board.all() });
    },
  });
}
