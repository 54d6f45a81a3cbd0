import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { PrismaService } from '../database/prisma.service.js';
import { SingleFlight } from '../runner/single-flight.js';

const INTERVAL_NAME = 'notification-retention';
const EVERY_MS = 60 * 60 * 1000;
// One key for the job, so only one replica deletes at a time.
const RETENTION_LOCK = 4_611_686_018_427_387_311n;
// Events per statement: short transactions, no long lock on the outbox.
const BATCH = 500;
const DAY_MS = 24 * 60 * 60 * 1000;

// Deletes notification events older than the retention whose every delivery is over (delivered or
// given up), with their deliveries and attempts (cascade). Pending, leased, refused (`failed`, which an
// admin may retry) and not yet fanned-out events stay whatever their age.
@Injectable()
export class NotificationRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private running: Promise<number> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(SchedulerRegistry) private readonly scheduler: SchedulerRegistry,
    @Inject(SingleFlight) private readonly singleFlight: SingleFlight,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.runner.enabled) return;
    this.scheduler.addInterval(
      INTERVAL_NAME,
      setInterval(() => void this.runOnce().catch(() => undefined), EVERY_MS),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.scheduler.doesExist('interval', INTERVAL_NAME)) this.scheduler.deleteInterval(INTERVAL_NAME);
    await this.running?.catch(() => undefined);
  }

  // How many events were deleted; 0 when another process (or this one) is running it.
  runOnce(now = new Date()): Promise<number> {
    this.running ??= this.pass(now).finally(() => (this.running = null));
    return this.running;
  }

  private async pass(now: Date): Promise<number> {
    const cutoff = new Date(now.getTime() - this.config.notificationRetentionDays * DAY_MS);
    let deleted = 0;
    await this.singleFlight.run(RETENTION_LOCK, async () => {
      for (;;) {
        const n = await this.prisma.$executeRaw`
          DELETE FROM notification_events WHERE id IN (
            SELECT e.id FROM notification_events e
            WHERE e.occurred_at < ${cutoff} AND e.fanned_out_at IS NOT NULL
              AND NOT EXISTS (
                SELECT 1 FROM notification_deliveries d
                WHERE d.event_id = e.id AND d.state NOT IN ('succeeded', 'dead')
              )
            LIMIT ${BATCH})`;
        deleted += n;
        if (n < BATCH) return;
      }
    });
    return deleted;
  }
}
