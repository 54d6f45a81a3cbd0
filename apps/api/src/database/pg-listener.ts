import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import pg from 'pg';
import type { Logger } from 'pino';
import { describeError } from '../common/describe-error.js';
import { LOGGER } from '../logging/logger.js';
import { DATABASE_CONNECTION, type DatabaseConnection } from './prisma.service.js';

// Names the LISTEN connection in pg_stat_activity.
export const PG_LISTENER_NAME = 'flightdeck-listener';
// Short: while the listener is away, live events and the board cache miss every change, so after a
// database restart it should be back within seconds. An attempt is one cheap connection.
const FIRST_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 2_000;
// A sync that takes longer than this fails (its caller must then assume it missed notifications).
const SYNC_TIMEOUT_MS = 10_000;

export type NotificationHandler = (payload: string | undefined) => void;

// The process's one LISTEN connection, shared by every channel: a dedicated `pg` client (not from the
// pool: a pooled connection would stop listening when handed back) that reconnects with backoff and
// LISTENs again on every channel registered. Notifications sent while it is away are lost, which the
// connect and disconnect hooks tell consumers about. The embedded Postgres (PGlite) is one session
// that cannot deliver notifications to a listener of its own, so there it never connects.
@Injectable()
export class PgListener implements OnModuleInit, OnModuleDestroy {
  private readonly handlers = new Map<string, NotificationHandler[]>();
  private readonly connectHooks: Array<() => void> = [];
  private readonly disconnectHooks: Array<() => void> = [];
  private client: pg.Client | null = null;
  // A client still connecting or LISTENing, and the attempt itself.
  private opening: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private closing = false;
  private backoffMs = FIRST_BACKOFF_MS;
  private reconnectTimer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(DATABASE_CONNECTION) private readonly connection: DatabaseConnection,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.connection.mode === 'external') await this.connect();
  }

  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const clients = [this.client, this.opening].filter((client) => client !== null);
    this.client = null;
    // Ending a client that is still connecting makes its attempt fail at once, so shutdown does not
    // wait for a database that is away.
    await Promise.all(clients.map((client) => client.end().catch(() => undefined)));
    await this.connecting;
  }

  // True while connected and listening on every registered channel.
  get listening(): boolean {
    return this.client !== null;
  }

  // Calls `onNotification` with the payload of every notification on `channel`, on every connection
  // the listener has from now on.
  async listen(channel: string, onNotification: NotificationHandler): Promise<void> {
    const handlers = this.handlers.get(channel);
    if (handlers) {
      handlers.push(onNotification);
      return;
    }
    this.handlers.set(channel, [onNotification]);
    // A connect under way picks the channel up (it LISTENs on every registered one before it counts
    // as connected); a lost connection LISTENs again on reconnect.
    await this.client?.query(`LISTEN ${pg.escapeIdentifier(channel)}`).catch((error: unknown) => {
      this.logger.warn({ error: describeError(error), channel }, 'Postgres listener could not LISTEN');
    });
  }

  // After every (re)connect, first one included: what was notified before it is unknown.
  onConnect(hook: () => void): void {
    this.connectHooks.push(hook);
  }

  // When the connection is lost (not on shutdown).
  onDisconnect(hook: () => void): void {
    this.disconnectHooks.push(hook);
  }

  // One round trip on the LISTEN connection. Postgres sends a listener the notifications of every
  // transaction committed before a query ahead of that query's result, so once this resolves true every
  // such notification has been handled. False when that cannot be known: not connected, the round trip
  // failed, or the connection changed meanwhile.
  async sync(): Promise<boolean> {
    const client = this.client;
    if (!client) return false;
    try {
      await client.query({ text: 'SELECT 1', query_timeout: SYNC_TIMEOUT_MS } as pg.QueryConfig);
    } catch {
      return false;
    }
    return this.client === client;
  }

  private connect(): Promise<void> {
    this.connecting = this.open().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async open(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.connection.url,
      application_name: PG_LISTENER_NAME,
    });
    client.on('notification', (message) => this.deliver(message.channel, message.payload));
    client.on('error', (error) => {
      this.logger.warn({ error: describeError(error) }, 'Postgres listener lost its connection');
      this.drop(client);
    });
    client.on('end', () => this.drop(client));
    this.opening = client;
    try {
      await client.connect();
      // The map is read live: a channel registered while this loop awaits is LISTENed too.
      for (const channel of this.handlers.keys())
        await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      if (this.closing) {
        await client.end();
        return;
      }
      this.client = client;
      this.backoffMs = FIRST_BACKOFF_MS;
      this.callHooks(this.connectHooks);
    } catch (error) {
      this.logger.warn({ error: describeError(error) }, 'Postgres listener could not connect');
      await client.end().catch(() => undefined);
      this.scheduleReconnect();
    } finally {
      this.opening = null;
    }
  }

  // Only the current client's loss counts; a client that failed to connect is handled by open().
  private drop(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = null;
    this.callHooks(this.disconnectHooks);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closing || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.connect();
    }, this.backoffMs);
    this.reconnectTimer.unref();
    this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
  }

  private deliver(channel: string, payload: string | undefined): void {
    for (const handler of this.handlers.get(channel) ?? []) {
      try {
        handler(payload);
      } catch (error) {
        this.logger.warn({ error: describeError(error), channel }, 'Postgres notification handler failed');
      }
    }
  }

  private callHooks(hooks: Array<() => void>): void {
    for (const hook of hooks) {
      try {
        hook();
      } catch (error) {
        this.logger.warn({ error: describeError(error) }, 'Postgres listener hook failed');
      }
    }
  }
}
