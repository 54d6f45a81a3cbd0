import { endpoints } from '@flightdeck/contracts';
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { api } from '../../config/api';
import { queryKeys } from '../../config/query-keys';

export const RELEASES_PAGE_SIZE = 20;

export function serviceQueryOptions(slug: string) {
  return queryOptions({
    queryKey: queryKeys.services.detail(slug),
    queryFn: ({ signal }) => api.request(endpoints.getService, { signal, params: { slug } }),
    meta: { errorTitle: 'Could not load the service', inlineError: true },
  });
}

export function serviceStagesQueryOptions(slug: string) {
  return queryOptions({
    queryKey: queryKeys.services.stages(slug),
    queryFn: ({ signal }) => api.request(endpoints.listStages, { signal, query: { service: slug } }),
    meta: { errorTitle: 'Could not load the pipeline', inlineError: true },
  });
}

// The board answers "what runs where" from the stage state rows; `q` narrows it to this service
// (it also matches other services whose name contains the slug, so the row is picked by slug).
export function serviceBoardQueryOptions(slug: string) {
  return queryOptions({
    queryKey: queryKeys.services.board(slug),
    queryFn: ({ signal }) => api.request(endpoints.getBoard, { signal, query: { q: slug } }),
    select: (board) => board.rows.find((row) => row.service.slug === slug) ?? null,
    refetchInterval: 30_000,
    meta: { errorTitle: 'Could not load what runs where', inlineError: true },
  });
}

export function serviceReleasesQueryOptions(slug: string) {
  return infiniteQueryOptions({
    queryKey: queryKeys.services.releases(slug),
    queryFn: ({ signal, pageParam }) =>
      api.request(endpoints.listReleases, {
        signal,
        query: { service: slug, cursor: pageParam, limit: RELEASES_PAGE_SIZE },
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    meta: { errorTitle: 'Could not load releases', inlineError: true },
  });
}
