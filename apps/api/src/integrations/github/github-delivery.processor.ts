import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { RequestError } from '@octokit/request-error';
import type { Logger } from 'pino';
import { describeError } from '../../common/describe-error.js';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { LOGGER } from '../../logging/logger.js';
import { CoalescingLoop } from '../../runner/coalescing-loop.js';
import { ChecksWebhookService } from './checks-webhook.service.js';
import { type ClaimedDelivery, GitHubDeliveriesRepository } from './github-deliveries.repository.js';
import { GitHubNotConfiguredError, gitHubFailure, isRateLimited } from './github-client.factory.js';
import { ciCommitOf, interpret, repositoryOf } from './github-release-rules.js';
import { GitHubReleasesService } from './github-releases.service.js';
import { GitHubServicesRepository } from './github-services.repository.js';

const INTERVAL_NAME = 'github-deliveries';
const INTERVAL_MS = 2_000;
const BATCH = 10;
const LEASE_MS = 60_000;
// A failing delivery (GitHub or the database unreachable) is tried this often before it is given up.
const MAX_ATTEMPTS = 8;
// A push waits this long for its CI before it is ignored.
const CI_WAIT_MS = 6 * 3600_000;

export type DeliveryResult =
  | { readonly state: 'done' | 'ignored' | 'failed'; readonly outcome: string }
  | { readonly state: 'pending'; readonly outcome: string; readonly retryAt: Date };

// Processes stored webhook deliveries in the background: claims due ones with SKIP LOCKED (any
// replica may), stores CI results a check run, status or check suite reports, applies each service's
// release rules, retries failures with backoff, and keeps pushes waiting for green CI (a CI event for
// the commit wakes them at once).
@Injectable()
export class GitHubDeliveryProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly owner = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
  private stopped = false;
  // Overlapping ticks (the interval, a wake-up) fold into one more pass.
  private readonly loop = new CoalescingLoop({
    pass: () => this.pass(),
    onError: (error) => this.logger.error({ error: describeError(error) }, 'GitHub deliveries pass failed'),
  });

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(SchedulerRegistry) private readonly scheduler: SchedulerRegistry,
    @Inject(GitHubDeliveriesRepository) private readonly deliveries: GitHubDeliveriesRepository,
    @Inject(GitHubServicesRepository) private readonly services: GitHubServicesRepository,
    @Inject(GitHubReleasesService) private readonly releases: GitHubReleasesService,
    @Inject(ChecksWebhookService) private readonly checks: ChecksWebhookService,
  ) {}

  onApplicationBootstrap(): void {
    // Background work follows the runner switch: a replica that serves only requests stores deliveries.
    if (!this.config.runner.enabled) return;
    this.scheduler.addInterval(
      INTERVAL_NAME,
      setInterval(() => void this.tick(), INTERVAL_MS),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.scheduler.doesExist('interval', INTERVAL_NAME)) this.scheduler.deleteInterval(INTERVAL_NAME);
    await this.loop.stop();
  }

  // A delivery was stored: look at once rather than at the next interval.
  wake(): void {
    if (this.config.runner.enabled) void this.tick();
  }

  tick(): Promise<void> {
    return this.loop.request();
  }

  private async pass(): Promise<void> {
    for (;;) {
      const claimed = await this.deliveries.claim(this.owner, BATCH, LEASE_MS);
      for (const delivery of claimed) {
        const result = await this.process(delivery);
        await this.deliveries.finish(this.owner, delivery.id, result);
        if (result.state === 'failed')
          this.logger.warn(
            { github: { delivery: delivery.deliveryId } },
            `GitHub delivery failed: ${result.outcome}`,
          );
      }
      if (claimed.length < BATCH || this.stopped) return;
    }
  }

  async process(delivery: ClaimedDelivery): Promise<DeliveryResult> {
    try {
      const ciCommit = ciCommitOf(delivery.event, delivery.payload);
      if (ciCommit) await this.deliveries.wakePushesOf(ciCommit);
      const repository = repositoryOf(delivery.payload);
      if (!repository) return { state: 'ignored', outcome: `${delivery.event}: names no repository` };
      const services = await this.services.forRepository(repository);
      if (services.length === 0)
        return { state: 'ignored', outcome: `no service is built from ${repository}` };
      // A check run, status or check suite updates the commit's CI results for the gates first.
      const checks = await this.checks.apply(delivery.event, delivery.payload);
      const outcomes: string[] = checks ? [checks.outcome] : [];
      let waiting = false;
      let made = checks?.stored ?? false;
      for (const service of services) {
        const interpretation = interpret(delivery.event, delivery.payload, service);
        if ('ignored' in interpretation) {
          outcomes.push(`${service.slug}: ${interpretation.ignored}`);
          continue;
        }
        const result = await this.releases.make(service, interpretation.intent, 'webhook');
        outcomes.push(result.outcome);
        if (result.state === 'wait') waiting = true;
        if (result.state === 'done') made = true;
      }
      const outcome = outcomes.join('; ');
      if (waiting) {
        if (Date.now() - delivery.receivedAt.getTime() > CI_WAIT_MS)
          return { state: 'ignored', outcome: `CI did not finish within 6 hours: ${outcome}` };
        return {
          state: 'pending',
          outcome,
          retryAt: new Date(Date.now() + backoff(delivery.attempts, 30_000)),
        };
      }
      return { state: made ? 'done' : 'ignored', outcome };
    } catch (error) {
      if (error instanceof GitHubNotConfiguredError) return { state: 'failed', outcome: error.message };
      const outcome = error instanceof RequestError ? gitHubFailure(error) : describeError(error).message;
      // GitHub refusing for good (no access, no such ref) is not worth repeating; a rate limit is.
      const final =
        error instanceof RequestError && [401, 403, 404, 422].includes(error.status) && !isRateLimited(error);
      if (final || delivery.attempts >= MAX_ATTEMPTS) return { state: 'failed', outcome };
      return { state: 'pending', outcome, retryAt: new Date(Date.now() + backoff(delivery.attempts, 5_000)) };
    }
  }
}

// Doubling from `base`, at most 10 minutes.
function backoff(attempts: number, base: number): number {
  return Math.min(base * 2 ** Math.max(attempts - 1, 0), 600_000);
}
