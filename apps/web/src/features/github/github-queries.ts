import { endpoints, type BodyOf } from '@flightdeck/contracts';
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../config/api';
import { queryKeys } from '../../config/query-keys';

// Under the service's key, so whatever refreshes the service (a service.updated event) refreshes this too.
export const githubKeys = {
  service: (slug: string) => [...queryKeys.services.detail(slug), 'github'] as const,
};

export function serviceGitHubQueryOptions(slug: string) {
  return queryOptions({
    queryKey: githubKeys.service(slug),
    queryFn: ({ signal }) => api.request(endpoints.getServiceGitHub, { signal, params: { slug } }),
    meta: { errorTitle: 'Could not load the GitHub settings', inlineError: true },
  });
}

// The dialog shows refusals next to the form: no toast.
export function useUpdateServiceGitHub(slug: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: BodyOf<typeof endpoints.putServiceGitHub>) =>
      api.request(endpoints.putServiceGitHub, { params: { slug }, body }),
    meta: { inlineError: true },
    onSuccess: (saved) => queryClient.setQueryData(githubKeys.service(slug), saved),
  });
}
