import { endpoints, type AuthState } from '@flightdeck/contracts';
import { queryOptions, type QueryClient } from '@tanstack/react-query';
import { api, setCsrfToken } from '../../config/api';
import { queryKeys } from '../../config/query-keys';

export function authStateQueryOptions() {
  return queryOptions({
    queryKey: queryKeys.auth.session(),
    queryFn: async ({ signal }) => {
      const state = await api.request(endpoints.getAuthState, { signal });
      setCsrfToken(state.csrfToken);
      return state;
    },
    // Changes only through sign-in, sign-out and setup (which write it directly) or a 401 (which refetches).
    staleTime: 5 * 60_000,
    refetchOnWindowFocus: true,
    meta: { errorTitle: 'Could not check your session', inlineError: true },
  });
}

// The server answers sign-in, setup and sign-out with the new auth state. Whatever the previous
// principal had loaded must not leak into the next one's screens, so every other query is dropped.
export function applyAuthState(queryClient: QueryClient, state: AuthState): void {
  setCsrfToken(state.csrfToken);
  queryClient.setQueryData(queryKeys.auth.session(), state);
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'auth' });
}
