import type { GitHubClients, GitHubRepositoryRef } from './github-client.factory.js';
import type { GitHubDeploymentState } from './deployment-mirror-outbox.js';

// GitHub's Deployments API as the mirror uses it. Creates go through the non-idempotent client (a
// blind retry could make a second deployment); lookups through the idempotent one.

export interface GitHubStatusInput {
  readonly state: GitHubDeploymentState;
  readonly description: string;
  // Flightdeck's deployment page, when a public URL is configured.
  readonly url: string | null;
}

export async function createGitHubDeployment(
  clients: GitHubClients,
  ref: GitHubRepositoryRef,
  request: Record<string, unknown> & { ref: string },
): Promise<number> {
  const response = await clients.nonIdempotent.request('POST /repos/{owner}/{repo}/deployments', {
    ...ref,
    ...request,
  });
  // 202 is GitHub's "merged the default branch instead": never asked for (auto_merge is false).
  if (response.status !== 201 || !('id' in response.data))
    throw new Error(`GitHub answered ${response.status} without creating a deployment`);
  return Number(response.data.id);
}

// The GitHub deployment an earlier attempt may have created for this Flightdeck deployment: same
// commit and environment, and our id in its payload. GitHub lists newest first.
export async function findGitHubDeployment(
  clients: GitHubClients,
  ref: GitHubRepositoryRef,
  query: { sha: string; environment: string; flightdeckDeploymentId: string },
): Promise<number | null> {
  for (let page = 1; page <= 3; page++) {
    const { data } = await clients.idempotent.request('GET /repos/{owner}/{repo}/deployments', {
      ...ref,
      sha: query.sha,
      environment: query.environment,
      per_page: 100,
      page,
    });
    const found = data.find((d) => flightdeckIdOf(d.payload) === query.flightdeckDeploymentId);
    if (found) return Number(found.id);
    if (data.length < 100) return null;
  }
  return null;
}

function flightdeckIdOf(payload: unknown): string | null {
  let value = payload;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      return null;
    }
  }
  const id = (value as { flightdeckDeploymentId?: unknown } | null)?.flightdeckDeploymentId;
  return typeof id === 'string' ? id : null;
}

export async function createGitHubDeploymentStatus(
  clients: GitHubClients,
  ref: GitHubRepositoryRef,
  deploymentId: number,
  status: GitHubStatusInput,
): Promise<number> {
  const { data } = await clients.nonIdempotent.request(
    'POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
    {
      ...ref,
      deployment_id: deploymentId,
      state: status.state,
      description: status.description,
      ...(status.url ? { log_url: status.url, environment_url: status.url } : {}),
      // Earlier successful deployments to this environment become inactive, so GitHub's environments
      // view shows the one that runs there now.
      auto_inactive: true,
    },
  );
  return Number(data.id);
}

// Statuses GitHub already holds for a deployment (newest first), to spot one whose answer was lost.
export async function listGitHubDeploymentStatuses(
  clients: GitHubClients,
  ref: GitHubRepositoryRef,
  deploymentId: number,
): Promise<Array<{ id: number; state: string; description: string }>> {
  const { data } = await clients.idempotent.request(
    'GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
    { ...ref, deployment_id: deploymentId, per_page: 100 },
  );
  return data.map((s) => ({ id: Number(s.id), state: s.state, description: s.description ?? '' }));
}

// Where a person sees the environment's deployments on GitHub (github.com, or GitHub Enterprise
// Server, whose API lives under /api/v3 of the same host).
export function gitHubDeploymentsPage(apiUrl: string, ref: GitHubRepositoryRef, environment: string): string {
  const url = new URL(apiUrl);
  const web =
    url.hostname === 'api.github.com'
      ? 'https://github.com'
      : `${url.origin}${url.pathname.replace(/\/api\/v3\/?$/, '').replace(/\/+$/, '')}`;
  return `${web}/${ref.owner}/${ref.repo}/deployments/${encodeURIComponent(environment)}`;
}
