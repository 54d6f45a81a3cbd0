import { endpoints, type ApprovalPolicy, type ApprovalRequest, type BodyOf } from '@flightdeck/contracts';
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../config/api';
import { queryKeys } from '../../config/query-keys';

export type ApprovalScope = 'mine' | 'pending' | 'all';
export type PolicyBody = BodyOf<typeof endpoints.putEnvironmentPolicy>;
export type Decision = 'approve' | 'reject';

// The inbox polls as a safety net; deployment.updated events (features/live) refresh it at once.
const INBOX_REFRESH_MS = 30_000;

export function approvalsQueryOptions(scope: ApprovalScope) {
  return queryOptions({
    queryKey: queryKeys.deployments.approvals(scope),
    queryFn: ({ signal }) => api.request(endpoints.listApprovals, { signal, query: { scope } }),
    refetchInterval: INBOX_REFRESH_MS,
    meta: { errorTitle: 'Could not load approvals', inlineError: true },
  });
}

export function deploymentApprovalQueryOptions(id: string) {
  return queryOptions({
    queryKey: queryKeys.deployments.approval(id),
    queryFn: ({ signal }) => api.request(endpoints.getDeploymentApproval, { signal, params: { id } }),
    meta: { errorTitle: 'Could not load the approvals', inlineError: true },
  });
}

export function environmentPolicyQueryOptions(slug: string) {
  return queryOptions({
    queryKey: queryKeys.policies.environment(slug),
    queryFn: ({ signal }) => api.request(endpoints.getEnvironmentPolicy, { signal, params: { slug } }),
    meta: { errorTitle: `Could not load the ${slug} approval policy`, inlineError: true },
  });
}

// A decision moves the deployment (the last approval queues it, a rejection ends it): the board, the
// deployment and every inbox tab are refetched, and the answer is the decision's new state.
export function useDecide(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ decision, comment }: { decision: Decision; comment: string }) =>
      decision === 'approve'
        ? api.request(endpoints.approveDeployment, { params: { id }, body: { comment } })
        : api.request(endpoints.rejectDeployment, { params: { id }, body: { comment } }),
    meta: { inlineError: true },
    onSuccess: (request: ApprovalRequest) => {
      queryClient.setQueryData(queryKeys.deployments.approval(id), request);
      void queryClient.invalidateQueries({ queryKey: queryKeys.deployments.all() });
      void queryClient.invalidateQueries({ queryKey: queryKeys.board.all() });
    },
  });
}

export function useSaveEnvironmentPolicy(slug: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: PolicyBody) => api.request(endpoints.putEnvironmentPolicy, { params: { slug }, body }),
    meta: { inlineError: true },
    onSuccess: (policy) => {
      queryClient.setQueryData(queryKeys.policies.environment(slug), policy);
      // Pending deployments there may need more or fewer approvals now.
      void queryClient.invalidateQueries({ queryKey: queryKeys.deployments.approvalsAll() });
      void queryClient.invalidateQueries({ queryKey: queryKeys.board.all() });
    },
  });
}

// Under the stage's key, so the service's prefix (and a stage settings save) refreshes it too.
const stagePolicyKey = (serviceSlug: string, stageId: string) =>
  [...queryKeys.stage(serviceSlug, stageId), 'policy'] as const;

export function stagePolicyQueryOptions(serviceSlug: string, stageId: string) {
  return queryOptions({
    queryKey: stagePolicyKey(serviceSlug, stageId),
    queryFn: ({ signal }) => api.request(endpoints.getStagePolicy, { signal, params: { id: stageId } }),
    meta: { errorTitle: 'Could not load the approval policy', inlineError: true },
  });
}

// A stage's own policy, set or removed: the answer is the policy in force afterwards.
export function useStagePolicy(serviceSlug: string, stageId: string) {
  const queryClient = useQueryClient();
  const onSuccess = (policy: ApprovalPolicy) => {
    queryClient.setQueryData(stagePolicyKey(serviceSlug, stageId), policy);
    void queryClient.invalidateQueries({ queryKey: queryKeys.deployments.approvalsAll() });
    void queryClient.invalidateQueries({ queryKey: queryKeys.board.all() });
  };
  const save = useMutation({
    mutationFn: (body: PolicyBody) =>
      api.request(endpoints.putStagePolicy, { params: { id: stageId }, body }),
    meta: { inlineError: true },
    onSuccess,
  });
  const remove = useMutation({
    mutationFn: () => api.request(endpoints.deleteStagePolicy, { params: { id: stageId } }),
    meta: { inlineError: true },
    onSuccess,
  });
  return { save, remove };
}
