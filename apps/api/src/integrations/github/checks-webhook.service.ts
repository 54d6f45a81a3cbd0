import { Inject, Injectable } from '@nestjs/common';
import { PrismaService } from '../../database/prisma.service.js';
import { LiveEvents } from '../../events/live-events.service.js';
import { repoKey } from './checks-gate.js';
import { checkFromRun, checkFromStatus, fetchCommitChecks, obj, str } from './checks-from-github.js';
import { CommitChecksStore, type StoredCheck } from './checks-store.js';
import { GitHubClientFactory } from './github-client.factory.js';
import { repositoryOf } from './github-release-rules.js';

// What a CI event says about one commit: its checks, or (a finished check suite, which names none of
// its runs) that the commit should be read from GitHub again.
export type ChecksEvent =
  | { readonly repository: string; readonly sha: string; readonly checks: readonly StoredCheck[] }
  | { readonly repository: string; readonly sha: string; readonly refetch: true };

export function checksEventOf(event: string, payload: unknown): ChecksEvent | null {
  const p = obj(payload);
  const repository = repositoryOf(payload);
  if (!repository) return null;
  if (event === 'check_run') {
    const run = obj(p.check_run);
    const sha = str(run.head_sha);
    const check = checkFromRun(run);
    return sha && check ? { repository, sha, checks: [check] } : null;
  }
  if (event === 'status') {
    const sha = str(p.sha);
    const check = checkFromStatus(p);
    return sha && check ? { repository, sha, checks: [check] } : null;
  }
  if (event === 'check_suite') {
    const sha = str(obj(p.check_suite).head_sha);
    return sha && p.action === 'completed' ? { repository, sha, refetch: true } : null;
  }
  return null;
}

export interface ChecksOutcome {
  readonly stored: boolean;
  readonly outcome: string;
}

// CI events from webhooks, applied to github_commit_checks at once so a CI gate blocks or lifts
// without waiting for the poll. A check run or status carries all the gate needs (no GitHub call); a
// finished check suite names no runs, so that commit is read again. Repositories no service is built
// from are ignored.
@Injectable()
export class ChecksWebhookService {
  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(LiveEvents) private readonly events: LiveEvents,
    @Inject(CommitChecksStore) private readonly store: CommitChecksStore,
    @Inject(GitHubClientFactory) private readonly github: GitHubClientFactory,
  ) {}

  // null when the event is not about CI results.
  async apply(event: string, payload: unknown, now = new Date()): Promise<ChecksOutcome | null> {
    const parsed = checksEventOf(event, payload);
    if (!parsed) return null;
    const [owner, name] = parsed.repository.split('/');
    if (!owner || !name) return null;
    const services = await this.prisma.service.findMany({
      where: {
        repoOwner: { equals: owner, mode: 'insensitive' },
        repoName: { equals: name, mode: 'insensitive' },
      },
      select: {
        id: true,
        slug: true,
        stages: {
          select: { id: true, requiredChecks: true, environment: { select: { slug: true } } },
        },
      },
    });
    if (services.length === 0)
      return { stored: false, outcome: `CI results: no service is built from ${parsed.repository}` };
    const required = [...new Set(services.flatMap((s) => s.stages.flatMap((st) => st.requiredChecks)))];
    const short = parsed.sha.slice(0, 12);
    let checks: readonly StoredCheck[];
    if ('refetch' in parsed) {
      // Only worth a GitHub call when a gate may read the answer.
      if (required.length === 0 || !this.github.configured)
        return { stored: false, outcome: `CI results: check suite of ${short} not needed by any gate` };
      checks = await fetchCommitChecks(await this.github.forRepository({ owner, repo: name }), {
        owner,
        repo: name,
        sha: parsed.sha,
      });
    } else {
      checks = parsed.checks;
    }
    const written = await this.store.merge({
      repoFullName: repoKey(owner, name),
      sha: parsed.sha,
      checks,
      required,
      now,
    });
    const names = checks.map((c) => `${c.name} ${c.conclusion ?? c.state}`).join(', ');
    if (!written.changed)
      return { stored: false, outcome: `CI results of ${short} unchanged (${names || 'none'})` };
    await this.publish(services, parsed.sha);
    return { stored: true, outcome: `CI results of ${short} stored: ${names || 'none'}` };
  }

  // Pages showing a gate on this commit refetch: its stages that require checks, and its pending
  // deployments (their "why is this blocked").
  private async publish(
    services: ReadonlyArray<{
      id: string;
      slug: string;
      stages: ReadonlyArray<{ id: string; requiredChecks: string[]; environment: { slug: string } }>;
    }>,
    sha: string,
  ): Promise<void> {
    const withRelease = await this.prisma.release.findMany({
      where: { commitSha: sha, serviceId: { in: services.map((s) => s.id) } },
      select: { serviceId: true },
      distinct: ['serviceId'],
    });
    const affected = new Set(withRelease.map((r) => r.serviceId));
    const at = new Date().toISOString();
    const stageIds: string[] = [];
    for (const service of services) {
      if (!affected.has(service.id)) continue;
      for (const stage of service.stages) {
        if (stage.requiredChecks.length === 0) continue;
        stageIds.push(stage.id);
        await this.events.publish({
          type: 'stage.updated',
          stageId: stage.id,
          serviceSlug: service.slug,
          environmentSlug: stage.environment.slug,
          at,
        });
      }
    }
    if (stageIds.length === 0) return;
    const pending = await this.prisma.deployment.findMany({
      where: { status: 'pending', stageId: { in: stageIds }, release: { commitSha: sha } },
      select: { id: true, stageId: true },
      take: 100,
    });
    for (const deployment of pending) {
      await this.events.publish({
        type: 'deployment.updated',
        deploymentId: deployment.id,
        stageId: deployment.stageId,
        status: 'pending',
        at,
      });
    }
  }
}
