import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { notificationEventTypeSchema } from '@flightdeck/contracts';
import type { Logger } from 'pino';
import { describeError } from '../common/describe-error.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { WorkSignal } from '../deployments/work-signal.js';
import { LiveEvents } from '../events/live-events.service.js';
import { LOGGER } from '../logging/logger.js';
import { CoalescingLoop } from '../runner/coalescing-loop.js';
import { SecretBox } from '../secrets/secret-box.js';
import { outcomeOf } from './delivery-outcome.js';
import { openChannelSecret, openChannelUrl } from './notification-channel-secret.js';
import { renderNotification } from './notification-messages.js';
import { SEND_TIMEOUT_SECONDS, sendNotification } from './notification-sender.js';
import { NotificationsRepository } from './notifications.repository.js';

const INTERVAL_NAME = 'notification-dispatcher';
const FAN_OUT_BATCH = 100;
const CONCURRENCY = 10;
// Longer than a send can take, so a live dispatcher never loses a delivery it is sending.
const LEASE_MS = (SEND_TIMEOUT_SECONDS + 20) * 1000;

// Sends notifications from this process. Events become deliveries (one per matching channel), and due
// deliveries are claimed with a lease, so any number of replicas send each delivery once. A channel's
// deliveries go one at a time in outbox order (the claim takes only each channel's head); channels go
// side by side, up to CONCURRENCY at once.
@Injectable()
export class NotificationDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly owner = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly stopping = new AbortController();
  // Overlapping calls (the interval, a wake-up) fold into one more pass.
  private readonly loop = new CoalescingLoop({
    pass: () => this.pass(),
    onError: (error) =>
      this.logger.error({ error: describeError(error) }, 'notification dispatch pass failed'),
  });
  private unsubscribe: (() => void) | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(SchedulerRegistry) private readonly scheduler: SchedulerRegistry,
    @Inject(NotificationsRepository) private readonly repository: NotificationsRepository,
    @Inject(SecretBox) private readonly secrets: SecretBox,
    @Inject(WorkSignal) private readonly work: WorkSignal,
    @Inject(LiveEvents) private readonly live: LiveEvents,
  ) {}

  // Background work follows the runner's switch: a replica that runs no deployments sends nothing.
  onApplicationBootstrap(): void {
    if (!this.config.runner.enabled) return;
    const interval = setInterval(() => void this.tick(), this.config.runner.intervalMs);
    this.scheduler.addInterval(INTERVAL_NAME, interval);
    this.unsubscribe = this.work.subscribe(() => void this.tick());
    void this.tick();
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.config.runner.enabled) return;
    this.unsubscribe?.();
    if (this.scheduler.doesExist('interval', INTERVAL_NAME)) this.scheduler.deleteInterval(INTERVAL_NAME);
    this.stopping.abort();
    await Promise.allSettled([this.loop.stop(), ...this.inFlight.values()]);
    await this.repository.releaseAll(this.owner).catch(() => undefined);
  }

  tick(): Promise<void> {
    return this.loop.request();
  }

  private async pass(): Promise<void> {
    for (;;) {
      const fanned = await this.repository.fanOut(FAN_OUT_BATCH);
      // After commit: the approvers' open pages hear of it (a hint; their inbox is the truth).
      for (const request of fanned.approvalRequests) {
        await this.live.publish({ type: 'approval.requested', ...request, at: new Date().toISOString() });
      }
      if (fanned.events < FAN_OUT_BATCH || this.stopping.signal.aborted) break;
    }
    const free = CONCURRENCY - this.inFlight.size;
    if (free <= 0) return;
    const ids = await this.repository.claimDue(this.owner, free, LEASE_MS);
    for (const id of ids) {
      const run = this.deliver(id)
        .catch((error: unknown) =>
          this.logger.error(
            { deliveryId: id, error: describeError(error) },
            'a notification delivery failed',
          ),
        )
        .finally(() => {
          this.inFlight.delete(id);
          // The channel's next delivery may go now: claim it without waiting for the interval.
          if (!this.stopping.signal.aborted) void this.tick();
        });
      this.inFlight.set(id, run);
    }
  }

  private async deliver(id: string): Promise<void> {
    const delivery = await this.repository.findForSend(id, this.owner);
    if (!delivery) return;
    const type = notificationEventTypeSchema.parse(delivery.event.type);
    const message = renderNotification(type, delivery.event.payload, this.config.http.publicUrl);
    const number = delivery.attempts + 1;
    let secret: string | null;
    let url: string;
    try {
      url = openChannelUrl(this.secrets, delivery.channel);
    } catch {
      // Not a receiver's fault and not a retry's to fix: someone must set the URL again.
      await this.repository.recordAttempt(this.owner, id, {
        number,
        statusCode: null,
        error: "The channel's URL could not be opened; set it again",
        durationMs: 0,
        state: 'failed',
        nextAttemptAt: null,
      });
      return;
    }
    try {
      secret = openChannelSecret(this.secrets, delivery.channel);
    } catch {
      // Not a receiver's fault and not a retry's to fix: someone must set the secret again.
      await this.repository.recordAttempt(this.owner, id, {
        number,
        statusCode: null,
        error: "The channel's signing secret could not be opened; set it again",
        durationMs: 0,
        state: 'failed',
        nextAttemptAt: null,
      });
      return;
    }
    const started = performance.now();
    const exchange = await sendNotification(
      {
        channel: { kind: delivery.channel.kind, url },
        secret,
        deliveryId: id,
        event: { ...delivery.event, type },
        message,
      },
      this.stopping.signal,
    );
    // Shutting down is not an attempt: the lease is released and another dispatcher sends it.
    if (this.stopping.signal.aborted) return;
    const durationMs = Math.round(performance.now() - started);
    const outcome = outcomeOf(exchange, number, delivery.maxAttempts, new Date());
    const recorded = await this.repository.recordAttempt(this.owner, id, { number, durationMs, ...outcome });
    if (recorded && outcome.state !== 'succeeded') {
      this.logger.warn(
        { deliveryId: id, channelId: delivery.channelId, attempt: number, state: outcome.state },
        outcome.error ?? 'notification not delivered',
      );
    }
  }
}
