import { ApiError } from '@flightdeck/contracts';
import { QueryCache, QueryClient } from '@tanstack/react-query';
import { dismissToast, pushToast } from '../features/notifications/toast-store';
import { describeError } from '../lib/errors';

declare module '@tanstack/react-query' {
  interface Register {
    queryMeta: {
      // Title of the toast when this query fails, e.g. "Board refresh failed".
      errorTitle?: string;
      // The screen renders its own error state while it has no data; only later (background) failures toast.
      inlineError?: boolean;
    };
  }
}

function toastId(queryHash: string): string {
  return `query:${queryHash}`;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({
      // The one place query failures reach the user.
      onError(error, query) {
        if (query.meta?.inlineError && query.state.data === undefined) return;
        const { message, code } = describeError(error);
        pushToast({
          id: toastId(query.queryHash),
          tone: 'danger',
          title: query.meta?.errorTitle ?? 'Request failed',
          message,
          code,
        });
      },
      // A query that recovers takes its stale error toast with it.
      onSuccess(_data, query) {
        dismissToast(toastId(query.queryHash));
      },
    }),
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        // A 4xx will not fix itself; network blips and 5xx get two more tries.
        retry: (failureCount, error) =>
          !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failureCount < 2,
      },
    },
  });
}
