import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { Logger } from 'pino';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { PrismaService } from '../../database/prisma.service.js';
import { LOGGER } from '../../logging/logger.js';
import { type CommitCheck, repoKey } from './checks-gate.js';
import { fetchCommitChecks } from './checks-from-github.js';
import { CommitChecksStore } from './checks-store.js';
import { GitHubClientFactory, gitHubFailure } from './github-client.factory.js';

const INTERVAL_NAME = 'github-checks';
const INTERVAL_MS = 15_000;
// A commit whose required checks are not all green yet is asked about again after this long.
const STALE_MS = 20_000;
// Releases this recent are candidates for a CI gate; older ones have their answer or never will.
const RECENT_MS = 7 * 24 * 3600_000;
const BATCH = 25;

interface Candidate {
  readonly owner: string;
  readonly repo: string;
  readonly sha: string;
  readonly required: string[];
}

export interface ChecksPass {
  readonly refreshed: number;
  readonly failed: number;
}

// Keeps github_commit_checks current for the commits the CI gate will ask about: recent releases of
// services with a repository and a stage that requires checks. Gates read the table, never GitHub.
@Injectable()
export class GitHubChecksRefresher implements OnApplicationBootstrap, OnApplicationShutdown {
  private running: Promise<ChecksPass> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(SchedulerRegistry) private readonly scheduler: SchedulerRegistry,
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(GitHubClientFactory) private readonly github: GitHubClientFactory,
    @Inject(CommitChecksStore) private readonly store: CommitChecksStore,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.runner.enabled || !this.github.configured) return;
    const interval = setInterval(() => void this.tick(), INTERVAL_MS);
    this.scheduler.addInterval(INTERVAL_NAME, interval);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.scheduler.doesExist('interval', INTERVAL_NAME)) this.scheduler.deleteInterval(INTERVAL_NAME);
    await this.running?.catch(() => undefined);
  }

  private async tick(): Promise<void> {
    try {
      await this.refreshOnce();
    } catch (error) {
      this.logger.warn({ github: { error: gitHubFailure(error) } }, 'GitHub checks refresh failed');
    }
  }

  // One pass over the commits that need (newer) results; concurrent calls share the pass.
  refreshOnce(now = new Date()): Promise<ChecksPass> {
    if (this.running) return this.running;
    this.running = this.pass(now).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async pass(now: Date): Promise<ChecksPass> {
    if (!this.github.configured) return { refreshed: 0, failed: 0 };
    const candidates = await this.prisma.$queryRaw<Candidate[]>`
      SELECT s.repo_owner AS owner, s.repo_name AS repo, r.commit_sha AS sha,
             (SELECT array_agg(DISTINCT c) FROM stages st, unnest(st.required_checks) c
               WHERE st.service_id = s.id) AS required
        FROM releases r
        JOIN services s ON s.id = r.service_id
        LEFT JOIN github_commit_checks g
          ON g.repo_full_name = lower(s.repo_owner || '/' || s.repo_name) AND g.sha = r.commit_sha
       WHERE s.repo_owner IS NOT NULL AND s.repo_name IS NOT NULL
         AND r.created_at > ${new Date(now.getTime() - RECENT_MS)}
         AND EXISTS (SELECT 1 FROM stages st WHERE st.service_id = s.id AND cardinality(st.required_checks) > 0)
         AND (g.id IS NULL OR (NOT g.final AND g.fetched_at < ${new Date(now.getTime() - STALE_MS)}))
       ORDER BY g.fetched_at NULLS FIRST, r.created_at DESC
       LIMIT ${BATCH}`;
    let refreshed = 0;
    let failed = 0;
    for (const candidate of candidates) {
      try {
        await this.refresh(candidate, now);
        refreshed += 1;
      } catch (error) {
        failed += 1;
        this.logger.warn(
          {
            github: {
              repo: `${candidate.owner}/${candidate.repo}`,
              sha: candidate.sha,
              error: gitHubFailure(error),
            },
          },
          'Could not read CI results from GitHub',
        );
      }
    }
    return { refreshed, failed };
  }

  // Reads a commit's check runs and statuses and merges them into the stored ones (a webhook may have
  // stored a newer result while GitHub was being read).
  async refresh(candidate: Candidate, now = new Date()): Promise<readonly CommitCheck[]> {
    const gh = await this.github.forRepository({ owner: candidate.owner, repo: candidate.repo });
    const fetched = await fetchCommitChecks(gh, candidate);
    const { checks } = await this.store.merge({
      repoFullName: repoKey(candidate.owner, candidate.repo),
      sha: candidate.sha,
      checks: fetched,
      required: candidate.required,
      now,
    });
    return checks;
  }
}
