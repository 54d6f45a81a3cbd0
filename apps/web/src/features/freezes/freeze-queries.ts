import { endpoints, type BodyOf } from '@flightdeck/contracts';
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../config/api';
import { queryKeys } from '../../config/query-keys';

export type CreateFreezeBody = BodyOf<typeof endpoints.createFreeze>;

export function freezesQueryOptions() {
  return queryOptions({
    queryKey: queryKeys.freezes.all(),
    queryFn: ({ signal }) => api.request(endpoints.listFreezes, { signal }),
    meta: { errorTitle: 'Could not load freezes', inlineError: true },
  });
}

export function environmentListQueryOptions() {
  return queryOptions({
    queryKey: queryKeys.environments(),
    queryFn: ({ signal }) => api.request(endpoints.listEnvironments, { signal }),
    meta: { errorTitle: 'Could not load environments', inlineError: true },
  });
}

export function serviceListQueryOptions() {
  return queryOptions({
    queryKey: queryKeys.serviceList(),
    queryFn: ({ signal }) => api.request(endpoints.listServices, { signal, query: { limit: 200 } }),
    meta: { errorTitle: 'Could not load services', inlineError: true },
  });
}

// A freeze changes which board cells are frozen and which gates fail, so the board is refetched too.
function useInvalidateFreezes() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: queryKeys.freezes.all() });
    void queryClient.invalidateQueries({ queryKey: queryKeys.board.all() });
  };
}

export function useCreateFreeze() {
  const invalidate = useInvalidateFreezes();
  return useMutation({
    mutationFn: (body: CreateFreezeBody) => api.request(endpoints.createFreeze, { body }),
    meta: { inlineError: true },
    onSuccess: invalidate,
  });
}

export function useDeleteFreeze() {
  const invalidate = useInvalidateFreezes();
  return useMutation({
    mutationFn: (id: string) => api.request(endpoints.deleteFreeze, { params: { id } }),
    meta: { inlineError: true },
    onSuccess: invalidate,
  });
}
