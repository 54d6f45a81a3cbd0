import { endpoints } from '@flightdeck/contracts';
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../config/api';
import { queryKeys } from '../../config/query-keys';

export const RECENT_RELEASES_LIMIT = 20;

// Without a release the server previews the next candidate (the newest one that passed upstream).
export function promotionPreviewQueryOptions(stageId: string, releaseId: string | null) {
  return queryOptions({
    queryKey: queryKeys.preview(stageId, releaseId),
    queryFn: ({ signal }) =>
      api.request(endpoints.previewPromotion, {
        signal,
        params: { id: stageId },
        query: releaseId ? { release: releaseId } : {},
      }),
    meta: { errorTitle: 'Could not preview the promotion', inlineError: true },
  });
}

export function recentReleasesQueryOptions(serviceSlug: string) {
  return queryOptions({
    queryKey: queryKeys.services.recentReleases(serviceSlug),
    queryFn: ({ signal }) =>
      api.request(endpoints.listReleases, {
        signal,
        query: { service: serviceSlug, limit: RECENT_RELEASES_LIMIT },
      }),
    meta: { errorTitle: 'Could not load releases', inlineError: true },
  });
}
