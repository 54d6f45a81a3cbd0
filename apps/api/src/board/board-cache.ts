import { Inject, Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { Metrics } from '../metrics/metrics.js';
import { BoardChanges } from './board-changes.js';
import { type BoardSnapshot, snapshotOf } from './board-snapshot.js';
import { BoardService } from './board.service.js';
import { freshRuns } from './fresh-runs.js';

// Even with no write and no freeze boundary, a cached board is rebuilt after this long: a safety net
// for what notifications cannot see (a clock jump, a trigger dropped by hand).
export const BOARD_MAX_AGE_MS = 60_000;

interface Build {
  readonly generation: number;
  readonly snapshot: Promise<BoardSnapshot>;
}

// The whole board (no filter), built once per change and shared by every request on this replica.
// A snapshot is served only while its generation is the one `BoardChanges.sync()` reports for the
// request, so a reader never gets a board older than a write committed before it asked, whichever
// replica made the write. Concurrent requests share one build; a build during which the board
// changed still answers the requests that joined it (it is newer than anything they must see) but is
// not kept.
@Injectable()
export class BoardCache {
  private stored: { generation: number; snapshot: BoardSnapshot } | null = null;
  private building: Build | null = null;
  private readonly builds: Counter<'outcome'>;
  // Without a known generation nothing is shared with a build begun before the request, but requests
  // arriving during one share the next, so a listener outage does not turn into a build per request.
  private readonly uncached = freshRuns(() => this.build('uncached'));

  constructor(
    @Inject(BoardChanges) private readonly changes: BoardChanges,
    @Inject(BoardService) private readonly board: BoardService,
    @Inject(Metrics) metrics: Metrics,
  ) {
    this.builds = new Counter({
      name: 'flightdeck_board_builds_total',
      help: 'Full boards built: kept in the cache, discarded (changed while building) or uncached (no listener)',
      labelNames: ['outcome'],
      registers: [metrics.registry],
    });
  }

  async get(): Promise<BoardSnapshot> {
    const arrivedAt = Date.now();
    const generation = await this.changes.sync();
    if (generation === null) return this.uncached();
    const stored = this.stored;
    if (stored?.generation === generation && Date.now() < stored.snapshot.expiresAt) return stored.snapshot;
    let build = this.building;
    if (build?.generation !== generation) {
      build = { generation, snapshot: this.buildAndKeep(generation) };
      this.building = build;
    }
    const snapshot = await build.snapshot;
    // Joined a build that evaluated freezes before a boundary this request arrived after: build anew.
    return arrivedAt < snapshot.expiresAt ? snapshot : this.uncached();
  }

  private async buildAndKeep(generation: number): Promise<BoardSnapshot> {
    try {
      const snapshot = await this.buildSnapshot();
      // Kept only if nothing changed meanwhile; a board kept stale would never be served anyway
      // (readers' generations are newer), it would only waste the slot.
      const unchanged = this.changes.seen() === generation;
      if (unchanged) this.stored = { generation, snapshot };
      this.builds.inc({ outcome: unchanged ? 'kept' : 'discarded' });
      return snapshot;
    } finally {
      if (this.building?.generation === generation) this.building = null;
    }
  }

  private async build(outcome: 'uncached'): Promise<BoardSnapshot> {
    const snapshot = await this.buildSnapshot();
    this.builds.inc({ outcome });
    return snapshot;
  }

  private async buildSnapshot(): Promise<BoardSnapshot> {
    const at = new Date();
    const [board, boundary] = await Promise.all([
      this.board.getBoard({}, at),
      this.board.nextFreezeBoundary(at),
    ]);
    const maxAge = at.getTime() + BOARD_MAX_AGE_MS;
    return snapshotOf(board, Math.min(boundary?.getTime() ?? maxAge, maxAge));
  }
}
