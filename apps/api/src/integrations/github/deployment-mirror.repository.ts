import { Inject, Injectable } from '@nestjs/common';
import { PrismaService } from '../../database/prisma.service.js';
import type { GitHubDeploymentState } from './deployment-mirror-outbox.js';

export interface ClaimedMirror {
  readonly deploymentId: string;
  readonly owner: string;
  readonly repo: string;
  readonly request: MirrorRequest;
  readonly githubDeploymentId: bigint | null;
  readonly createAttemptedAt: Date | null;
  readonly attempts: number;
  // Not sent yet, oldest first: GitHub must see them in this order.
  readonly statuses: readonly MirrorStatus[];
}

export interface MirrorRequest {
  readonly ref: string;
  readonly environment: string;
  readonly description: string;
  readonly payload: { readonly flightdeckDeploymentId: string };
  readonly [field: string]: unknown;
}

export interface MirrorStatus {
  readonly id: bigint;
  readonly state: GitHubDeploymentState;
  readonly description: string;
  readonly attemptedAt: Date | null;
}

export type MirrorOutcome =
  | { readonly state: 'synced' }
  | { readonly state: 'failed'; readonly error: string }
  | { readonly state: 'pending'; readonly error: string; readonly retryAt: Date };

// The GitHub deployment mirror's outbox rows. Every write of a processor is a compare-and-set on its
// lease, so one that stalled past its lease writes nothing.
@Injectable()
export class DeploymentMirrorRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  // Up to `limit` mirrors with work that is due and not leased. SKIP LOCKED lets replicas claim side by
  // side; one mirror is only ever worked by one processor, which keeps its statuses in order.
  async claim(owner: string, limit: number, leaseMs: number, now = new Date()): Promise<string[]> {
    const until = new Date(now.getTime() + leaseMs);
    const rows = await this.prisma.$queryRaw<Array<{ deploymentId: string }>>`
      UPDATE github_deployment_mirrors SET lease_owner = ${owner}, lease_until = ${until}
      WHERE deployment_id IN (
        SELECT deployment_id FROM github_deployment_mirrors
        WHERE state = 'pending' AND next_attempt_at <= ${now}
          AND (lease_until IS NULL OR lease_until < ${now})
        ORDER BY next_attempt_at
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED
      )
      RETURNING deployment_id AS "deploymentId"`;
    return rows.map((row) => row.deploymentId);
  }

  async load(owner: string, deploymentId: string): Promise<ClaimedMirror | null> {
    const row = await this.prisma.gitHubDeploymentMirror.findFirst({
      where: { deploymentId, leaseOwner: owner },
      include: { statuses: { where: { sentAt: null }, orderBy: { id: 'asc' } } },
    });
    if (!row) return null;
    return {
      deploymentId: row.deploymentId,
      owner: row.owner,
      repo: row.repo,
      request: row.request as unknown as MirrorRequest,
      githubDeploymentId: row.githubDeploymentId,
      createAttemptedAt: row.createAttemptedAt,
      attempts: row.attempts,
      statuses: row.statuses.map((s) => ({
        id: s.id,
        state: s.state as GitHubDeploymentState,
        description: s.description,
        attemptedAt: s.attemptedAt,
      })),
    };
  }

  // Written before the create is sent (intent first). False: the lease is gone, send nothing.
  async markCreateAttempted(owner: string, deploymentId: string): Promise<boolean> {
    const { count } = await this.prisma.gitHubDeploymentMirror.updateMany({
      where: { deploymentId, leaseOwner: owner },
      data: { createAttemptedAt: new Date() },
    });
    return count === 1;
  }

  async recordCreated(owner: string, deploymentId: string, githubDeploymentId: number): Promise<boolean> {
    const { count } = await this.prisma.gitHubDeploymentMirror.updateMany({
      where: { deploymentId, leaseOwner: owner },
      data: { githubDeploymentId: BigInt(githubDeploymentId), attempts: 0, error: null },
    });
    return count === 1;
  }

  async markStatusAttempted(owner: string, deploymentId: string, statusId: bigint): Promise<boolean> {
    const count = await this.prisma.$executeRaw`
      UPDATE github_deployment_mirror_statuses SET attempted_at = now()
      WHERE id = ${statusId} AND EXISTS (
        SELECT 1 FROM github_deployment_mirrors
        WHERE deployment_id = ${deploymentId}::uuid AND lease_owner = ${owner})`;
    return count === 1;
  }

  async recordStatusSent(
    owner: string,
    deploymentId: string,
    statusId: bigint,
    githubStatusId: number,
  ): Promise<boolean> {
    const count = await this.prisma.$executeRaw`
      UPDATE github_deployment_mirror_statuses SET sent_at = now(), github_status_id = ${BigInt(githubStatusId)}
      WHERE id = ${statusId} AND EXISTS (
        SELECT 1 FROM github_deployment_mirrors
        WHERE deployment_id = ${deploymentId}::uuid AND lease_owner = ${owner})`;
    if (count === 1) {
      await this.prisma.gitHubDeploymentMirror.updateMany({
        where: { deploymentId, leaseOwner: owner },
        data: { attempts: 0, error: null },
      });
    }
    return count === 1;
  }

  // Ends this processor's turn. "Synced" only when no status arrived meanwhile (a transition that
  // committed while this one was sending leaves the mirror pending, due now).
  async finish(owner: string, deploymentId: string, outcome: MirrorOutcome): Promise<void> {
    if (outcome.state === 'synced') {
      await this.prisma.$executeRaw`
        UPDATE github_deployment_mirrors SET
          state = CASE WHEN EXISTS (
            SELECT 1 FROM github_deployment_mirror_statuses
            WHERE deployment_id = ${deploymentId}::uuid AND sent_at IS NULL)
            THEN 'pending'::"GitHubMirrorState" ELSE 'synced'::"GitHubMirrorState" END,
          next_attempt_at = now(), lease_owner = NULL, lease_until = NULL, error = NULL, updated_at = now()
        WHERE deployment_id = ${deploymentId}::uuid AND lease_owner = ${owner}`;
      return;
    }
    await this.prisma.gitHubDeploymentMirror.updateMany({
      where: { deploymentId, leaseOwner: owner },
      data: {
        state: outcome.state,
        error: outcome.error.slice(0, 1000),
        leaseOwner: null,
        leaseUntil: null,
        ...(outcome.state === 'pending'
          ? { nextAttemptAt: outcome.retryAt, attempts: { increment: 1 } }
          : {}),
      },
    });
  }

  // A clean shutdown hands its mirrors to whoever comes next.
  async releaseAll(owner: string): Promise<void> {
    await this.prisma.gitHubDeploymentMirror.updateMany({
      where: { leaseOwner: owner },
      data: { leaseOwner: null, leaseUntil: null },
    });
  }
}
