import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import pg from 'pg';
import type { Logger } from 'pino';
import { describeError } from '../common/describe-error.js';
import { DATABASE_CONNECTION, type DatabaseConnection } from '../database/prisma.service.js';
import { LOGGER } from '../logging/logger.js';
import { freshRuns } from './fresh-runs.js';

// Sent by the triggers of migration 20261122183545_board_change_notifications, after commit.
export const BOARD_CHANNEL = 'flightdeck_board';
// Names the LISTEN connection in pg_stat_activity.
export const BOARD_LISTENER_NAME = 'flightdeck-board-cache';
const FIRST_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 2_000;
// A sync that takes longer than this answers "unknown" (the caller builds without the cache).
const SYNC_TIMEOUT_MS = 10_000;

// This replica's view of "has the board changed": a generation bumped by every flightdeck_board
// notification and by every (re)connect of the LISTEN connection (notifications sent while it was away
// are lost). `sync()` makes the generation cover every write committed before the call: it runs a query
// on the LISTEN connection, and Postgres sends a listener the notifications of transactions committed
// before that query ahead of its result.
@Injectable()
export class BoardChanges implements OnModuleInit, OnModuleDestroy {
  private generation = 0;
  private listener: pg.Client | null = null;
  private closing = false;
  private backoffMs = FIRST_BACKOFF_MS;
  private reconnectTimer: NodeJS.Timeout | null = null;
  // A round trip sent after the caller arrived: one already on the wire may have left before a write
  // the caller must see was committed. Concurrent callers share the next one.
  private readonly barrier = freshRuns(() => this.roundTrip());

  constructor(
    @Inject(DATABASE_CONNECTION) private readonly connection: DatabaseConnection,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  // The embedded Postgres (PGlite) is one session that cannot deliver notifications to a listener of
  // its own, so there the board is never cached.
  async onModuleInit(): Promise<void> {
    if (this.connection.mode === 'external') await this.listen();
  }

  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const listener = this.listener;
    this.listener = null;
    await listener?.end().catch(() => undefined);
  }

  // The generation that includes every board change committed before this call, or null when that
  // cannot be known (not listening, or the round trip failed): then nothing may be served from a cache.
  async sync(): Promise<number | null> {
    if (!this.listener) return null;
    try {
      await this.barrier();
    } catch {
      return null;
    }
    return this.listener ? this.generation : null;
  }

  // The generation as notified so far, without a round trip.
  seen(): number {
    return this.generation;
  }

  private async roundTrip(): Promise<void> {
    const listener = this.listener;
    if (!listener) throw new Error('board changes: not listening');
    await listener.query({ text: 'SELECT 1', query_timeout: SYNC_TIMEOUT_MS } as pg.QueryConfig);
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.connection.url,
      application_name: BOARD_LISTENER_NAME,
    });
    client.on('notification', (message) => {
      if (message.channel === BOARD_CHANNEL) this.generation += 1;
    });
    client.on('error', (error) => {
      this.logger.warn({ error: describeError(error) }, 'board cache listener lost its connection');
      this.dropListener(client);
    });
    client.on('end', () => this.dropListener(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${BOARD_CHANNEL}`);
      if (this.closing) {
        await client.end();
        return;
      }
      // Whatever changed while no connection listened is unknown: everything cached before is stale.
      this.generation += 1;
      this.listener = client;
      this.backoffMs = FIRST_BACKOFF_MS;
    } catch (error) {
      this.logger.warn({ error: describeError(error) }, 'board cache listener could not connect');
      await client.end().catch(() => undefined);
      this.scheduleReconnect();
    }
  }

  // Only the current listener's loss counts; a client that failed to connect is handled by listen().
  private dropListener(client: pg.Client): void {
    if (this.listener !== client) return;
    this.listener = null;
    this.generation += 1;
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closing || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.listen();
    }, this.backoffMs);
    this.reconnectTimer.unref();
    this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
  }
}
