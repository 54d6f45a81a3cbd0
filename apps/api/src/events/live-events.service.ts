import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { type LiveEvent, liveEventSchema } from '@flightdeck/contracts';
import type { Logger } from 'pino';
import { Observable, Subject } from 'rxjs';
import { describeError } from '../common/describe-error.js';
import { PgListener } from '../database/pg-listener.js';
import { DATABASE_CONNECTION, type DatabaseConnection, PrismaService } from '../database/prisma.service.js';
import { LOGGER } from '../logging/logger.js';

export const LIVE_EVENTS_CHANNEL = 'flightdeck_events';

// Fans live events out to every replica. With a Postgres server, each replica LISTENs on one channel
// (on the process's shared LISTEN connection, which reconnects by itself) and a publish is a NOTIFY,
// so a change on one replica reaches browsers connected to any other. The embedded Postgres is one
// process and delivers NOTIFY only to the session that sent it, so there the bus is in-process.
@Injectable()
export class LiveEvents implements OnModuleInit, OnModuleDestroy {
  private readonly subject = new Subject<LiveEvent>();

  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(DATABASE_CONNECTION) private readonly connection: DatabaseConnection,
    @Inject(PgListener) private readonly listener: PgListener,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  get stream(): Observable<LiveEvent> {
    return this.subject.asObservable();
  }

  async onModuleInit(): Promise<void> {
    await this.listener.listen(LIVE_EVENTS_CHANNEL, (payload) => this.deliver(payload));
  }

  onModuleDestroy(): void {
    this.subject.complete();
  }

  // Call after the change has committed: an event is a hint to refetch, and must not arrive before the
  // data it points at. A crash in between loses only the hint; clients refetch on reconnect anyway.
  async publish(event: LiveEvent): Promise<void> {
    if (this.connection.mode === 'embedded') {
      this.subject.next(event);
      return;
    }
    try {
      await this.prisma.$executeRaw`SELECT pg_notify(${LIVE_EVENTS_CHANNEL}, ${JSON.stringify(event)})`;
    } catch (error) {
      this.logger.warn({ error: describeError(error), type: event.type }, 'live event not published');
    }
  }

  private deliver(payload: string | undefined): void {
    if (!payload) return;
    try {
      const parsed = liveEventSchema.safeParse(JSON.parse(payload));
      if (parsed.success) this.subject.next(parsed.data);
      else this.logger.warn('live event with an unknown shape ignored');
    } catch {
      this.logger.warn('live event that is not JSON ignored');
    }
  }
}
