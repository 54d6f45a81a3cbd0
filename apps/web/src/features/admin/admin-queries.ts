import { endpoints } from '@flightdeck/contracts';
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { api } from '../../config/api';
import { queryKeys } from '../../config/query-keys';

export function usersQueryOptions(q: string) {
  return infiniteQueryOptions({
    queryKey: queryKeys.users.list(q),
    queryFn: ({ signal, pageParam }) =>
      api.request(endpoints.listUsers, {
        signal,
        query: { q: q || undefined, cursor: pageParam, limit: 50 },
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    meta: { errorTitle: 'Could not load users', inlineError: true },
  });
}

// Pickers (team members, grants) offer the first 200 users; search narrows on the server beyond that.
export function userPickerQueryOptions() {
  return queryOptions({
    queryKey: [...queryKeys.users.all(), 'picker'] as const,
    queryFn: ({ signal }) => api.request(endpoints.listUsers, { signal, query: { limit: 200 } }),
    meta: { errorTitle: 'Could not load users' },
  });
}

export function teamsQueryOptions() {
  return queryOptions({
    queryKey: queryKeys.teams.all(),
    queryFn: ({ signal }) => api.request(endpoints.listTeams, { signal }),
    meta: { errorTitle: 'Could not load teams', inlineError: true },
  });
}

export function environmentsQueryOptions() {
  return queryOptions({
    queryKey: queryKeys.environments(),
    queryFn: ({ signal }) => api.request(endpoints.listEnvironments, { signal }),
    meta: { errorTitle: 'Could not load environments', inlineError: true },
  });
}

export function grantsQueryOptions(slug: string) {
  return queryOptions({
    queryKey: queryKeys.grants.environment(slug),
    queryFn: ({ signal }) => api.request(endpoints.listEnvironmentGrants, { signal, params: { slug } }),
    meta: { errorTitle: `Could not load access for ${slug}` },
  });
}
