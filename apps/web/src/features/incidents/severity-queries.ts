import { endpoints, type BodyOf } from '@flightdeck/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../config/api';
import { incidentKeys } from './incident-queries';

export type CreateSeverityBody = BodyOf<typeof endpoints.createIncidentSeverity>;
export type UpdateSeverityBody = BodyOf<typeof endpoints.updateIncidentSeverity>;

// Adds a severity (no key) or changes the one with `key`; the scheme and every incident are refetched,
// since incidents show their severity's name and whether it freezes production.
export function useSaveSeverity(key: string | null) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateSeverityBody | UpdateSeverityBody) =>
      key
        ? api.request(endpoints.updateIncidentSeverity, { params: { key }, body })
        : api.request(endpoints.createIncidentSeverity, { body: body as CreateSeverityBody }),
    meta: { inlineError: true },
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: incidentKeys.severities() }),
        queryClient.invalidateQueries({ queryKey: incidentKeys.all() }),
      ]),
  });
}
