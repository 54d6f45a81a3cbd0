import { endpoints, type BodyOf } from '@flightdeck/contracts';
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../config/api';
import { queryKeys } from '../../config/query-keys';

export type CreateWindowBody = BodyOf<typeof endpoints.createDeploymentWindow>;

// Under the freezes prefix: both are shown on one page and both decide when deployments may start.
export const windowsQueryKey = () => [...queryKeys.freezes.all(), 'windows'] as const;

export function windowsQueryOptions() {
  return queryOptions({
    queryKey: windowsQueryKey(),
    queryFn: ({ signal }) => api.request(endpoints.listDeploymentWindows, { signal }),
    meta: { errorTitle: 'Could not load deployment windows', inlineError: true },
  });
}

// A window changes which gates wait, so the board (and its previews) is refetched too.
function useInvalidateWindows() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: windowsQueryKey() });
    void queryClient.invalidateQueries({ queryKey: queryKeys.board.all() });
  };
}

export function useCreateWindow() {
  const invalidate = useInvalidateWindows();
  return useMutation({
    mutationFn: (body: CreateWindowBody) => api.request(endpoints.createDeploymentWindow, { body }),
    meta: { inlineError: true },
    onSuccess: invalidate,
  });
}

export function useDeleteWindow() {
  const invalidate = useInvalidateWindows();
  return useMutation({
    mutationFn: (id: string) => api.request(endpoints.deleteDeploymentWindow, { params: { id } }),
    meta: { inlineError: true },
    onSuccess: invalidate,
  });
}
