import { ApiError } from '@flightdeck/contracts';
import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { dismissToast, pushToast } from '../features/notifications/toast-store';
import { describeError } from '../lib/errors';
import { queryKeys } from './query-keys';

declare module '@tanstack/react-query' {
  interface Register {
    queryMeta: {
      // Title of the toast when this query fails, e.g. "Board refresh failed".
      errorTitle?: string;
      // The screen renders its own error state while it has no data; only later (background) failures toast.
      inlineError?: boolean;
    };
    mutationMeta: {
      errorTitle?: string;
      // The form shows the error next to its fields; no toast.
      inlineError?: boolean;
      // Sign-in and first-run setup: a 401 there is a wrong password, not an ended session.
      authFlow?: boolean;
    };
  }
}

function toastId(queryHash: string): string {
  return `query:${queryHash}`;
}

const SESSION_ENDED_TOAST = 'auth:session-ended';

function isCsrfFailure(error: ApiError): boolean {
  return error.status === 403 && error.code.includes('CSRF');
}

export function createQueryClient(): QueryClient {
  // A 401 anywhere means the session is gone (expired, revoked, user disabled). Refetching the auth
  // state lets the route guard send the user to sign in, with the page they were on as returnTo.
  const sessionEnded = () => {
    pushToast({
      id: SESSION_ENDED_TOAST,
      tone: 'info',
      title: 'Signed out',
      message: 'Your session has ended. Sign in again to continue.',
      code: null,
    });
    void client.invalidateQueries({ queryKey: queryKeys.auth.session() });
  };

  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      // The one place query failures reach the user.
      onError(error, query) {
        if (error instanceof ApiError && error.status === 401) return sessionEnded();
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
    mutationCache: new MutationCache({
      onError(error, _variables, _context, mutation) {
        if (mutation.meta?.authFlow) return;
        if (error instanceof ApiError && error.status === 401) return sessionEnded();
        // A stale CSRF token (e.g. the session was renewed in another tab): fetch the current one.
        if (error instanceof ApiError && isCsrfFailure(error)) {
          void client.invalidateQueries({ queryKey: queryKeys.auth.session() });
        }
        if (mutation.meta?.inlineError) return;
        const { message, code } = describeError(error);
        pushToast({
          id: `mutation:${mutation.mutationId}`,
          tone: 'danger',
          title: mutation.meta?.errorTitle ?? 'The change was not saved',
          message,
          code,
        });
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
  return client;
}
