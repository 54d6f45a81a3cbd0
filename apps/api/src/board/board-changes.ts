import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { PgListener } from '../database/pg-listener.js';
import { freshRuns } from './fresh-runs.js';

// Sent by the triggers of migration 20261122183545_board_change_notifications, after commit.
export const BOARD_CHANNEL = 'flightdeck_board';

// This replica's view of "has the board changed": a generation bumped by every flightdeck_board
// notification and by every connect and loss of the LISTEN connection (notifications sent while it was
// away are lost). `sync()` makes the generation cover every write committed before the call, with a
// round trip on the LISTEN connection (`PgListener.sync`).
@Injectable()
export class BoardChanges implements OnModuleInit {
  private generation = 0;
  // A round trip sent after the caller arrived: one already on the wire may have left before a write
  // the caller must see was committed. Concurrent callers share the next one.
  private readonly barrier = freshRuns(() => this.listener.sync());

  constructor(@Inject(PgListener) private readonly listener: PgListener) {}

  // Without a listening connection (the embedded Postgres never has one) sync() answers null, so the
  // board is never served from the cache.
  async onModuleInit(): Promise<void> {
    const bump = () => {
      this.generation += 1;
    };
    this.listener.onConnect(bump);
    this.listener.onDisconnect(bump);
    await this.listener.listen(BOARD_CHANNEL, bump);
  }

  // The generation that includes every board change committed before this call, or null when that
  // cannot be known (not listening, or the round trip failed): then nothing may be served from a cache.
  async sync(): Promise<number | null> {
    if (!this.listener.listening) return null;
    const synced = await this.barrier().catch(() => false);
    return synced && this.listener.listening ? this.generation : null;
  }

  // The generation as notified so far, without a round trip.
  seen(): number {
    return this.generation;
  }
}
