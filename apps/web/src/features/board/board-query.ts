import { endpoints } from '@flightdeck/contracts';
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../config/api';
import { queryKeys } from '../../config/query-keys';

// Polling until live updates arrive over SSE (a later issue); then the stream patches this cache entry
// and the interval goes away.
export const BOARD_REFRESH_MS = 10_000;

// The whole board is fetched once and filtered in the browser: filtering stays instant and the team
// list stays complete while a filter is applied.
export function boardQueryOptions() {
  return queryOptions({
    queryKey: queryKeys.board.all(),
    queryFn: ({ signal }) => api.request(endpoints.getBoard, { signal }),
    refetchInterval: BOARD_REFRESH_MS,
    meta: { errorTitle: 'Board refresh failed', inlineError: true },
  });
}
