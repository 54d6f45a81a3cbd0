import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { type LiveEvent, liveEventSchema } from '@flightdeck/contracts';
import pg from 'pg';
import type { Logger } from 'pino';
import { Observable, Subject } from 'rxjs';
import { describeError } from '../common/describe-error.js';
import { DATABASE_CONNECTION, type DatabaseConnection, PrismaService } from '../database/prisma.service.js';
import { LOGGER } from '../logging/logger.js';

export const LIVE_EVENTS_CHANNEL = 'flightdeck_events';
// Short: while the listener is away this replica's browsers miss every event, so after a database
// restart it should be back within seconds. An attempt is one cheap connection.
const MAX_BACKOFF_MS = 2_000;
const FIRST_BACKOFF_MS = 250;

// Fans live events out to every replica. With a Postgres server, each replica LISTENs on one channel
// and a publish is a NOTIFY, so a change on one replica reaches browsers connected to any other. The
// embedded Postgres is one process and delivers NOTIFY only to the session that sent it, so there the
// bus is in-process.
@Injectable()
export class LiveEvents implements OnModuleInit, OnModuleDestroy {
  private readonly subject = new Subject<LiveEvent>();
  private listener: pg.Client | null = null;
  private closing = false;
  private backoffMs = FIRST_BACKOFF_MS;
  private reconnectTimer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(DATABASE_CONNECTION) private readonly connection: DatabaseConnection,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  get stream(): Observable<LiveEvent> {
    return this.subject.asObservable();
  }

  async onModuleInit(): Promise<void> {
    if (this.connection.mode === 'external') await this.listen();
  }

  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    await this.listener?.end().catch(() => undefined);
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

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connection.url });
    client.on('notification', (message) => this.deliver(message.payload));
    client.on('error', (error) => {
      this.logger.warn({ error: describeError(error) }, 'live events listener lost its connection');
      this.scheduleReconnect();
    });
    client.on('end', () => this.scheduleReconnect());
    try {
      await client.connect();
      await client.query(`LISTEN ${LIVE_EVENTS_CHANNEL}`);
      this.listener = client;
      this.backoffMs = FIRST_BACKOFF_MS;
    } catch (error) {
      this.logger.warn({ error: describeError(error) }, 'live events listener could not connect');
      await client.end().catch(() => undefined);
      this.scheduleReconnect();
    }
  }

  private scheduleReconnect(): void {
    if (this.closing || this.reconnectTimer) return;
    this.listener = null;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.listen();
    }, this.backoffMs);
    this.reconnectTimer.unref();
    this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
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
