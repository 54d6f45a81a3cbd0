import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { Logger } from 'pino';
import { describeError } from '../../common/describe-error.js';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { LOGGER } from '../../logging/logger.js';
import { SingleFlight } from '../../runner/single-flight.js';
import { gitHubFailure } from './github-client.factory.js';
import { interpret } from './github-release-rules.js';
import { GitHubReleasesService } from './github-releases.service.js';
import { type GitHubService, GitHubServicesRepository } from './github-services.repository.js';
import { type Conditional, GitHubSource } from './github-source.js';

const INTERVAL_NAME = 'github-poll';
// One key for the job, so only one replica polls GitHub at a time.
const POLL_LOCK = 4_611_686_018_427_387_433n;

export interface PollPass {
  readonly ran: boolean;
  readonly services: number;
  readonly unchanged: number;
  readonly outcomes: string[];
}

// Polls the repositories of services set to it (those without webhooks): releases, tags, the default
// branch's head and successful workflow runs, as the service's rules ask. Every read is conditional on
// the ETag of the last answer, so an unchanged repository costs nothing against the rate limit; the
// same release rules as webhooks decide, and releases are unique per version, so both may run.
@Injectable()
export class GitHubPoller implements OnApplicationBootstrap, OnApplicationShutdown {
  private running: Promise<PollPass> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(SchedulerRegistry) private readonly scheduler: SchedulerRegistry,
    @Inject(SingleFlight) private readonly singleFlight: SingleFlight,
    @Inject(GitHubServicesRepository) private readonly services: GitHubServicesRepository,
    @Inject(GitHubSource) private readonly source: GitHubSource,
    @Inject(GitHubReleasesService) private readonly releases: GitHubReleasesService,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.runner.enabled || !this.source.configured) return;
    this.scheduler.addInterval(
      INTERVAL_NAME,
      setInterval(() => void this.runOnce(), this.config.github.pollIntervalMs),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.scheduler.doesExist('interval', INTERVAL_NAME)) this.scheduler.deleteInterval(INTERVAL_NAME);
    await this.running;
  }

  // One pass over every polling service; a pass already running here or elsewhere is not doubled.
  runOnce(): Promise<PollPass> {
    this.running ??= this.pass().finally(() => (this.running = null));
    return this.running;
  }

  private async pass(): Promise<PollPass> {
    let result: PollPass = { ran: false, services: 0, unchanged: 0, outcomes: [] };
    if (!this.source.configured) return result;
    await this.singleFlight
      .run(POLL_LOCK, async () => {
        const services = await this.services.polling();
        const outcomes: string[] = [];
        let unchanged = 0;
        for (const service of services) {
          try {
            const polled = await this.poll(service);
            unchanged += polled.unchanged;
            outcomes.push(...polled.outcomes);
          } catch (error) {
            const reason = gitHubFailure(error);
            outcomes.push(`${service.slug}: ${reason}`);
            this.logger.warn({ github: { service: service.slug } }, `GitHub poll failed: ${reason}`);
          }
        }
        result = { ran: true, services: services.length, unchanged, outcomes };
      })
      .catch((error: unknown) =>
        this.logger.error({ error: describeError(error) }, 'GitHub poll pass failed'),
      );
    return result;
  }

  private async poll(service: GitHubService): Promise<{ unchanged: number; outcomes: string[] }> {
    const repo = { owner: service.owner, repo: service.repo };
    const rules = service.rules;
    const outcomes: string[] = [];
    let unchanged = 0;
    // Reads one resource conditionally; `apply` returns false to keep the old ETag (look again next time).
    const read = async <T>(
      resource: string,
      fetch: (etag: string | null) => Promise<Conditional<T>>,
      apply: (data: T) => Promise<{ lastSeen: string | null; settled: boolean }>,
    ) => {
      const cursor = await this.services.cursor(service.id, resource);
      const answer = await fetch(cursor?.etag ?? null);
      if (!answer.changed) {
        unchanged += 1;
        await this.services.touchCursor(service.id, resource);
        return;
      }
      const { lastSeen, settled } = await apply(answer.data);
      await this.services.saveCursor(service.id, resource, settled ? answer.etag : null, lastSeen);
    };
    const make = async (event: string, payload: unknown): Promise<boolean> => {
      const interpretation = interpret(event, payload, service);
      if ('ignored' in interpretation) return true;
      const made = await this.releases.make(service, interpretation.intent, 'poll');
      outcomes.push(made.outcome);
      return made.state !== 'wait';
    };

    if (rules.releasePublished) {
      await read(
        'releases',
        (etag) => this.source.releases(repo, etag),
        async (releases) => {
          // Oldest first, so versions are created in the order they were published.
          for (const release of [...releases].reverse())
            await make('release', { action: 'published', release });
          return { lastSeen: releases[0]?.tag_name ?? null, settled: true };
        },
      );
    }
    if (rules.tag) {
      await read(
        'tags',
        (etag) => this.source.tags(repo, etag),
        async (tags) => {
          for (const tag of [...tags].reverse()) await make('create', { ref_type: 'tag', ref: tag.name });
          return { lastSeen: tags[0]?.name ?? null, settled: true };
        },
      );
    }
    if (rules.push) {
      await read(
        `branch:${service.defaultBranch}`,
        (etag) => this.source.branch(repo, service.defaultBranch, etag),
        async (branch) => {
          const head = branch.commit;
          const settled = await make('push', {
            ref: `refs/heads/${service.defaultBranch}`,
            after: head.sha,
            head_commit: {
              message: head.commit.message,
              timestamp: head.commit.author?.date ?? null,
              author: { email: head.commit.author?.email ?? null },
            },
          });
          return { lastSeen: head.sha, settled };
        },
      );
    }
    if (rules.workflowRun) {
      await read(
        'workflow-runs',
        (etag) => this.source.successfulRuns(repo, service.defaultBranch, etag),
        async (runs) => {
          for (const run of [...runs.workflow_runs].reverse())
            await make('workflow_run', { action: 'completed', workflow_run: run });
          return { lastSeen: runs.workflow_runs[0]?.head_sha ?? null, settled: true };
        },
      );
    }
    return { unchanged, outcomes };
  }
}
