import { endpoints, type Release } from '@flightdeck/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../config/api';
import { queryKeys } from '../../config/query-keys';

function useApplyQuarantine(serviceSlug: string) {
  const queryClient = useQueryClient();
  return (release: Release) => {
    // Show it in the releases table at once; the refetches confirm it and re-evaluate every gate.
    queryClient.setQueryData<{ pages: { items: Release[] }[]; pageParams: unknown[] }>(
      queryKeys.services.releases(serviceSlug),
      (data) =>
        data && {
          ...data,
          pages: data.pages.map((page) => ({
            ...page,
            items: page.items.map((item) => (item.id === release.id ? release : item)),
          })),
        },
    );
    void queryClient.invalidateQueries({ queryKey: queryKeys.services.releases(serviceSlug) });
    void queryClient.invalidateQueries({ queryKey: queryKeys.board.all() });
  };
}

// The dialogs show failures (a 403 says why) next to their buttons, so no toast.
export function useQuarantineRelease(serviceSlug: string, releaseId: string) {
  const apply = useApplyQuarantine(serviceSlug);
  return useMutation({
    mutationFn: (reason: string) =>
      api.request(endpoints.quarantineRelease, { params: { id: releaseId }, body: { reason } }),
    meta: { inlineError: true },
    onSuccess: apply,
  });
}

export function useLiftQuarantine(serviceSlug: string, releaseId: string) {
  const apply = useApplyQuarantine(serviceSlug);
  return useMutation({
    mutationFn: () => api.request(endpoints.liftQuarantine, { params: { id: releaseId } }),
    meta: { inlineError: true },
    onSuccess: apply,
  });
}
