import type { DeploymentStatus } from '@flightdeck/contracts';
import type { Tx } from '../../database/prisma.service.js';

// GitHub's deployment status states Flightdeck sends.
export type GitHubDeploymentState = 'queued' | 'in_progress' | 'success' | 'failure' | 'error' | 'inactive';

// GitHub keeps at most 140 characters of a status description.
const MAX_DESCRIPTION = 140;

export interface MirrorTransition {
  readonly deploymentId: string;
  readonly from: DeploymentStatus;
  readonly to: DeploymentStatus;
  // The transition's sentence, shown on GitHub as the status description.
  readonly message: string;
}

// What GitHub shows for one Flightdeck transition; null when GitHub hears nothing. A deployment is
// mirrored from the moment it is queued: requests that never got past their gates (superseded,
// rejected, expired, cancelled while pending) were never deployments in GitHub's sense.
export function gitHubStateFor(from: DeploymentStatus, to: DeploymentStatus): GitHubDeploymentState | null {
  switch (to) {
    case 'queued':
      return 'queued';
    case 'running':
    case 'verifying':
      return 'in_progress';
    case 'succeeded':
      return 'success';
    case 'failed':
      return 'failure';
    // GitHub's `error` is "the deployment process broke", not "the new version is bad".
    case 'timed_out':
      return 'error';
    // Cancelled before it touched the target: nothing changed there, so the deployment is simply no
    // longer current. Cancelled mid-rollout: the environment may be half changed, which is an error.
    case 'cancelled':
      return from === 'queued' ? 'inactive' : from === 'pending' ? null : 'error';
    default:
      return null;
  }
}

export function statusDescription(message: string): string {
  const line = message.replace(/\s+/g, ' ').trim();
  return line.length <= MAX_DESCRIPTION ? line : `${line.slice(0, MAX_DESCRIPTION - 1)}…`;
}

// The transactional outbox of the GitHub mirror: call inside the transition's transaction, so the work
// exists exactly when the change committed. `enabled` is false when GitHub is not configured.
export async function recordDeploymentMirror(
  tx: Tx,
  transition: MirrorTransition,
  enabled: boolean,
): Promise<void> {
  if (!enabled) return;
  const state = gitHubStateFor(transition.from, transition.to);
  if (!state) return;
  const description = statusDescription(transition.message);
  if (transition.to === 'queued') {
    await createMirror(tx, transition.deploymentId, state, description);
    return;
  }
  // Only deployments mirrored when queued get statuses; a mirror that failed for good stays failed.
  const added = await tx.$executeRaw`
    INSERT INTO github_deployment_mirror_statuses (deployment_id, state, description)
    SELECT deployment_id, ${state}, ${description} FROM github_deployment_mirrors
    WHERE deployment_id = ${transition.deploymentId}::uuid AND state <> 'failed'`;
  if (added === 0) return;
  await tx.$executeRaw`
    UPDATE github_deployment_mirrors SET state = 'pending', next_attempt_at = now(), updated_at = now()
    WHERE deployment_id = ${transition.deploymentId}::uuid AND state = 'synced'`;
}

async function createMirror(
  tx: Tx,
  deploymentId: string,
  state: GitHubDeploymentState,
  description: string,
): Promise<void> {
  const deployment = await tx.deployment.findUniqueOrThrow({
    where: { id: deploymentId },
    select: {
      kind: true,
      requestedBy: true,
      stageId: true,
      release: { select: { id: true, version: true, commitSha: true } },
      stage: {
        select: {
          service: { select: { slug: true, repoOwner: true, repoName: true } },
          environment: { select: { slug: true, tier: true } },
        },
      },
    },
  });
  const { service, environment } = deployment.stage;
  if (!service.repoOwner || !service.repoName) return;
  const { release } = deployment;
  const verb = deployment.kind === 'rollback' ? 'Roll back to' : 'Deploy';
  const request = {
    ref: release.commitSha,
    environment: environment.slug,
    // Flightdeck's own CI gate (the stage's required checks) has already decided; an empty list stops
    // GitHub from checking every status context again and refusing a deployment Flightdeck allowed.
    required_contexts: [],
    // Deploy exactly the release's commit, never a merge GitHub makes of it.
    auto_merge: false,
    production_environment: environment.tier === 'production',
    transient_environment: false,
    task: 'deploy',
    description: statusDescription(
      `${verb} ${service.slug} ${release.version} to ${environment.slug} (Flightdeck, ${deployment.requestedBy})`,
    ),
    payload: {
      flightdeckDeploymentId: deploymentId,
      stageId: deployment.stageId,
      releaseId: release.id,
      version: release.version,
    },
  };
  await tx.gitHubDeploymentMirror.create({
    data: {
      deploymentId,
      owner: service.repoOwner,
      repo: service.repoName,
      request,
      statuses: { create: { state, description } },
    },
  });
}
