import { endpoints, type BodyOf, type Incident, type IncidentStatus } from '@flightdeck/contracts';
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../config/api';

// Under the board's prefix: every live event (a deployment moving, a stage changing) refreshes the
// incident pages too, so the timeline and suspects follow what happens on the affected stages.
export const incidentKeys = {
  all: () => ['board', 'incidents'] as const,
  list: (status: string) => ['board', 'incidents', 'list', status] as const,
  detail: (id: string) => ['board', 'incidents', 'detail', id] as const,
  timeline: (id: string) => ['board', 'incidents', 'detail', id, 'timeline'] as const,
  suspects: (id: string) => ['board', 'incidents', 'detail', id, 'suspects'] as const,
  severities: () => ['incident-severities'] as const,
  stages: () => ['incident-stages'] as const,
};

export type DeclareIncidentBody = BodyOf<typeof endpoints.declareIncident>;
export type UpdateIncidentBody = BodyOf<typeof endpoints.updateIncident>;

export function incidentsQueryOptions(status: 'open' | 'all') {
  return queryOptions({
    queryKey: incidentKeys.list(status),
    queryFn: ({ signal }) => api.request(endpoints.listIncidents, { signal, query: { status } }),
    meta: { errorTitle: 'Could not load incidents', inlineError: true },
  });
}

export function incidentQueryOptions(id: string) {
  return queryOptions({
    queryKey: incidentKeys.detail(id),
    queryFn: ({ signal }) => api.request(endpoints.getIncident, { signal, params: { id } }),
    meta: { errorTitle: 'Could not load the incident', inlineError: true },
  });
}

export function timelineQueryOptions(id: string) {
  return queryOptions({
    queryKey: incidentKeys.timeline(id),
    queryFn: ({ signal }) => api.request(endpoints.getIncidentTimeline, { signal, params: { id } }),
    meta: { errorTitle: 'Could not load the timeline', inlineError: true },
  });
}

export function suspectsQueryOptions(id: string) {
  return queryOptions({
    queryKey: incidentKeys.suspects(id),
    queryFn: ({ signal }) => api.request(endpoints.getIncidentSuspects, { signal, params: { id } }),
    meta: { errorTitle: 'Could not load suspect deployments', inlineError: true },
  });
}

export function severitiesQueryOptions() {
  return queryOptions({
    queryKey: incidentKeys.severities(),
    queryFn: ({ signal }) => api.request(endpoints.listIncidentSeverities, { signal }),
    meta: { errorTitle: 'Could not load severities', inlineError: true },
    staleTime: 60_000,
  });
}

export function stageListQueryOptions() {
  return queryOptions({
    queryKey: incidentKeys.stages(),
    queryFn: ({ signal }) => api.request(endpoints.listStages, { signal }),
    meta: { errorTitle: 'Could not load stages', inlineError: true },
    staleTime: 60_000,
  });
}

// A change to an incident can change gates (a production freeze) as well as the incident pages.
function useRefresh() {
  const queryClient = useQueryClient();
  return (incident?: Incident) => {
    if (incident) queryClient.setQueryData(incidentKeys.detail(incident.id), incident);
    void queryClient.invalidateQueries({ queryKey: ['board'] });
  };
}

export function useDeclareIncident() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: DeclareIncidentBody; idempotencyKey: string }) =>
      api.request(endpoints.declareIncident, { body, headers: { 'idempotency-key': idempotencyKey } }),
    meta: { inlineError: true },
    onSuccess: refresh,
  });
}

export function useUpdateIncident(id: string) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (body: UpdateIncidentBody) => api.request(endpoints.updateIncident, { params: { id }, body }),
    meta: { inlineError: true },
    onSuccess: refresh,
  });
}

export function useTransitionIncident(id: string) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (body: { status: IncidentStatus; note?: string }) =>
      api.request(endpoints.transitionIncident, { params: { id }, body }),
    meta: { inlineError: true },
    onSuccess: refresh,
  });
}

export function useAcknowledgeIncident(id: string) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: () => api.request(endpoints.acknowledgeIncident, { params: { id } }),
    meta: { inlineError: true },
    onSuccess: refresh,
  });
}

export function useAddNote(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: string) => api.request(endpoints.addIncidentNote, { params: { id }, body: { body } }),
    meta: { inlineError: true },
    onSuccess: (timeline) => queryClient.setQueryData(incidentKeys.timeline(id), timeline),
  });
}

export function useAddActionItem(id: string) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (body: { title: string; ownerId?: string }) =>
      api.request(endpoints.addIncidentActionItem, { params: { id }, body }),
    meta: { inlineError: true },
    onSuccess: () => refresh(),
  });
}

export function useUpdateActionItem(id: string) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ itemId, state }: { itemId: string; state: 'open' | 'done' }) =>
      api.request(endpoints.updateIncidentActionItem, { params: { id, itemId }, body: { state } }),
    meta: { inlineError: true },
    onSuccess: () => refresh(),
  });
}

export function useRollbackSuspect(id: string) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({
      deploymentId,
      reason,
      idempotencyKey,
    }: {
      deploymentId: string;
      reason: string;
      idempotencyKey: string;
    }) =>
      api.request(endpoints.rollbackIncidentSuspect, {
        params: { id },
        body: { deploymentId, reason },
        headers: { 'idempotency-key': idempotencyKey },
      }),
    meta: { inlineError: true },
    onSuccess: () => refresh(),
  });
}
