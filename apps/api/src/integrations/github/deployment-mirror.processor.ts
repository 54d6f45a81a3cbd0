import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { RequestError } from '@octokit/request-error';
import type { Logger } from 'pino';
import { describeError } from '../../common/describe-error.js';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { WorkSignal } from '../../deployments/work-signal.js';
import { retryAfterSeconds } from '../../drivers/webhook/webhook.driver.js';
import { LOGGER } from '../../logging/logger.js';
import { backoffMs } from '../../notifications/delivery-outcome.js';
import { CoalescingLoop } from '../../runner/coalescing-loop.js';
import {
  type ClaimedMirror,
  DeploymentMirrorRepository,
  type MirrorOutcome,
} from './deployment-mirror.repository.js';
import {
  GitHubClientFactory,
  type GitHubClients,
  GitHubNotConfiguredError,
  gitHubFailure,
  isRateLimited,
} from './github-client.factory.js';
import {
  createGitHubDeployment,
  createGitHubDeploymentStatus,
  findGitHubDeployment,
  listGitHubDeploymentStatuses,
} from './github-deployments.js';

const INTERVAL_NAME = 'github-deployment-mirror';
const BATCH = 10;
// Longer than a mirror's requests can take (each gives up after 30 s), so a live processor keeps it.
const LEASE_MS = 120_000;
// Failures in a row (GitHub unreachable, 5xx) before a mirror is given up.
const MAX_ATTEMPTS = 12;
// A rate limit may ask for longer than our own backoff, within reason.
const MAX_RATE_LIMIT_WAIT_MS = 3_600_000;

// The lease was lost mid-way: another processor owns the mirror now; this one stops writing.
class LeaseLost extends Error {}

// Mirrors Flightdeck deployments into GitHub Deployments from the outbox rows the transitions write:
// claims due mirrors with SKIP LOCKED (any replica may), creates the GitHub deployment once, sends its
// statuses in order, and retries failures with backoff. Every create is recorded as attempted before it
// is sent; an attempt whose answer never came is looked up on GitHub before anything is sent again.
@Injectable()
export class DeploymentMirrorProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly owner = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
  private stopped = false;
  private unsubscribe: (() => void) | null = null;
  // Overlapping ticks (the interval, a wake-up) fold into one more pass.
  private readonly loop = new CoalescingLoop({
    pass: () => this.pass(),
    onError: (error) =>
      this.logger.error({ error: describeError(error) }, 'GitHub deployment mirror pass failed'),
  });

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(SchedulerRegistry) private readonly scheduler: SchedulerRegistry,
    @Inject(GitHubClientFactory) private readonly github: GitHubClientFactory,
    @Inject(DeploymentMirrorRepository) private readonly mirrors: DeploymentMirrorRepository,
    @Inject(WorkSignal) private readonly work: WorkSignal,
  ) {}

  private get active(): boolean {
    return this.config.runner.enabled && this.github.configured;
  }

  // Background work follows the runner switch, and there is nothing to mirror without GitHub.
  onApplicationBootstrap(): void {
    if (!this.active) return;
    const interval = setInterval(() => void this.tick(), this.config.runner.intervalMs);
    this.scheduler.addInterval(INTERVAL_NAME, interval);
    this.unsubscribe = this.work.subscribe(() => void this.tick());
    void this.tick();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.scheduler.doesExist('interval', INTERVAL_NAME)) this.scheduler.deleteInterval(INTERVAL_NAME);
    await this.loop.stop();
    if (this.active) await this.mirrors.releaseAll(this.owner).catch(() => undefined);
  }

  tick(): Promise<void> {
    return this.loop.request();
  }

  private async pass(): Promise<void> {
    for (;;) {
      const claimed = await this.mirrors.claim(this.owner, BATCH, LEASE_MS);
      await Promise.all(claimed.map((id) => this.mirrorOne(id)));
      if (claimed.length < BATCH || this.stopped) return;
    }
  }

  private async mirrorOne(deploymentId: string): Promise<void> {
    const mirror = await this.mirrors.load(this.owner, deploymentId);
    if (!mirror) return;
    let outcome: MirrorOutcome;
    try {
      await this.sync(mirror);
      outcome = { state: 'synced' };
    } catch (error) {
      if (error instanceof LeaseLost) return;
      outcome = outcomeOf(error, mirror.attempts + 1, new Date());
    }
    await this.mirrors.finish(this.owner, deploymentId, outcome);
    if (outcome.state !== 'synced') {
      this.logger.warn(
        { github: { deploymentId, repository: `${mirror.owner}/${mirror.repo}`, state: outcome.state } },
        `GitHub deployment mirror: ${outcome.error}`,
      );
    }
  }

  private async sync(mirror: ClaimedMirror): Promise<void> {
    const ref = { owner: mirror.owner, repo: mirror.repo };
    const clients = await this.github.forRepository(ref);
    const githubId =
      mirror.githubDeploymentId !== null
        ? Number(mirror.githubDeploymentId)
        : await this.create(clients, mirror);
    for (const status of mirror.statuses) {
      // An earlier attempt may have reached GitHub: a status there that no sent row accounts for is it.
      if (status.attemptedAt) {
        const known = await listGitHubDeploymentStatuses(clients, ref, githubId);
        const match = known.find((s) => s.state === status.state && s.description === status.description);
        if (match) {
          await this.held(
            this.mirrors.recordStatusSent(this.owner, mirror.deploymentId, status.id, match.id),
          );
          continue;
        }
      }
      await this.held(this.mirrors.markStatusAttempted(this.owner, mirror.deploymentId, status.id));
      const sent = await createGitHubDeploymentStatus(clients, ref, githubId, {
        state: status.state,
        description: status.description,
        url: this.pageOf(mirror.deploymentId),
      });
      await this.held(this.mirrors.recordStatusSent(this.owner, mirror.deploymentId, status.id, sent));
    }
  }

  private async create(clients: GitHubClients, mirror: ClaimedMirror): Promise<number> {
    const ref = { owner: mirror.owner, repo: mirror.repo };
    if (mirror.createAttemptedAt) {
      const found = await findGitHubDeployment(clients, ref, {
        sha: mirror.request.ref,
        environment: mirror.request.environment,
        flightdeckDeploymentId: mirror.deploymentId,
      });
      if (found !== null) {
        await this.held(this.mirrors.recordCreated(this.owner, mirror.deploymentId, found));
        return found;
      }
    }
    // Intent first: if the answer is lost from here on, the next attempt looks before it creates.
    await this.held(this.mirrors.markCreateAttempted(this.owner, mirror.deploymentId));
    const id = await createGitHubDeployment(clients, ref, mirror.request);
    await this.held(this.mirrors.recordCreated(this.owner, mirror.deploymentId, id));
    return id;
  }

  private async held(write: Promise<boolean>): Promise<void> {
    if (!(await write)) throw new LeaseLost();
  }

  private pageOf(deploymentId: string): string | null {
    const base = this.config.http.publicUrl;
    return base ? new URL(`/deployments/${deploymentId}`, base).toString() : null;
  }
}

// What one failed turn means: retry later (when), or give up with GitHub's reason.
export function outcomeOf(error: unknown, attempt: number, now: Date): MirrorOutcome {
  if (error instanceof GitHubNotConfiguredError) return { state: 'failed', error: error.message };
  const message =
    error instanceof RequestError || error instanceof Error ? gitHubFailure(error) : String(error);
  if (error instanceof RequestError && isRateLimited(error)) {
    // Refused by a rate limit: nothing happened, so it is safe to send again once the limit resets.
    return {
      state: 'pending',
      error: message,
      retryAt: new Date(now.getTime() + rateLimitWaitMs(error, now, attempt)),
    };
  }
  // Any other 4xx is GitHub saying no (validation, permissions, no such commit): it will not change.
  if (error instanceof RequestError && error.status >= 400 && error.status < 500 && error.status !== 408)
    return { state: 'failed', error: message };
  if (attempt >= MAX_ATTEMPTS)
    return { state: 'failed', error: `${message}; gave up after ${attempt} attempts` };
  return { state: 'pending', error: message, retryAt: new Date(now.getTime() + backoffMs(attempt)) };
}

function rateLimitWaitMs(error: RequestError, now: Date, attempt: number): number {
  const headers = error.response?.headers ?? {};
  const retryAfter = retryAfterSeconds(
    typeof headers['retry-after'] === 'string' ? headers['retry-after'] : null,
    now,
  );
  const reset = Number(headers['x-ratelimit-reset']);
  const untilReset = Number.isFinite(reset) && reset > 0 ? reset * 1000 - now.getTime() : 0;
  const asked = Math.max((retryAfter ?? 0) * 1000, untilReset);
  return Math.min(Math.max(asked, backoffMs(attempt)), MAX_RATE_LIMIT_WAIT_MS);
}
