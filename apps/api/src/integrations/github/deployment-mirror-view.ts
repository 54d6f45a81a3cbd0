import type { DeploymentGitHubMirror } from '@flightdeck/contracts';
import type { Tx } from '../../database/prisma.service.js';
import { gitHubDeploymentsPage } from './github-deployments.js';

// The deployment's GitHub mirror for its read model; null when it is not mirrored.
export async function readDeploymentMirror(
  db: Tx,
  deploymentId: string,
  apiUrl: string,
): Promise<DeploymentGitHubMirror | null> {
  const row = await db.gitHubDeploymentMirror.findUnique({
    where: { deploymentId },
    select: {
      owner: true,
      repo: true,
      request: true,
      githubDeploymentId: true,
      state: true,
      error: true,
      statuses: {
        where: { sentAt: { not: null } },
        orderBy: { id: 'desc' },
        take: 1,
        select: { state: true },
      },
    },
  });
  if (!row) return null;
  const environment = (row.request as { environment?: unknown }).environment;
  const created = row.githubDeploymentId !== null;
  return {
    state: row.state,
    deploymentId: created ? Number(row.githubDeploymentId) : null,
    url:
      created && typeof environment === 'string'
        ? gitHubDeploymentsPage(apiUrl, { owner: row.owner, repo: row.repo }, environment)
        : null,
    lastStatus: row.statuses[0]?.state ?? null,
    error: row.error,
  };
}
