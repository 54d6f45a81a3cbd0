import { endpoints } from '@flightdeck/contracts';
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../config/api';
import { queryKeys } from '../../config/query-keys';

// Without the live stream the board polls; with it, events trigger refetches (features/live) and the
// interval is only a safety net for an event lost between a change and its notification.
export const BOARD_REFRESH_MS = 10_000;
export const BOARD_LIVE_SAFETY_NET_MS = 60_000;

export function boardRefreshMs(live: boolean): number {
  return live ? BOARD_LIVE_SAFETY_NET_MS : BOARD_REFRESH_MS;
}

// The whole board is fetched once and filtered in the browser: filtering stays instant and the team
// list stays complete while a filter is applied.
export function boardQueryOptions({ live = false }: { live?: boolean } = {}) {
  return queryOptions({
    queryKey: queryKeys.board.all(),
    queryFn: ({ signal }) => api.request(endpoints.getBoard, { signal }),
    refetchInterval: boardRefreshMs(live),
    meta: { errorTitle: 'Board refresh failed', inlineError: true },
  });
}
