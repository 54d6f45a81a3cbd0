import { Inject, Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { Metrics } from '../metrics/metrics.js';
import { BoardChanges } from './board-changes.js';
import type { BoardPageRequest } from './board-page.js';
import { BuiltBoard } from './board-pages.js';
import { type BoardSnapshot, serialise } from './board-snapshot.js';
import { BoardRepository } from './board.repository.js';
import { BoardService } from './board.service.js';
import { freshRuns } from './fresh-runs.js';

// Even with no write and no freeze boundary, a cached board is rebuilt after this long: a safety net
// for what notifications cannot see (a clock jump, a trigger dropped by hand).
export const BOARD_MAX_AGE_MS = 60_000;

interface Build {
  readonly generation: number;
  readonly board: Promise<BuiltBoard>;
}

// The whole board (no filter), built once per change and shared by every request on this replica.
// A snapshot is served only while its generation is the one `BoardChanges.sync()` reports for the
// request, so a reader never gets a board older than a write committed before it asked, whichever
// replica made the write. Concurrent requests share one build; a build during which the board
// changed still answers the requests that joined it (it is newer than anything they must see) but is
// not kept. Pages of the board are slices of that same build, each made once per build.
@Injectable()
export class BoardCache {
  private stored: { generation: number; board: BuiltBoard } | null = null;
  private building: Build | null = null;
  private readonly builds: Counter<'outcome'>;
  // Without a known generation nothing is shared with a build begun before the request, but requests
  // arriving during one share the next, so a listener outage does not turn into a build per request.
  private readonly uncached = freshRuns(() => this.build('uncached'));

  constructor(
    @Inject(BoardChanges) private readonly changes: BoardChanges,
    @Inject(BoardService) private readonly board: BoardService,
    @Inject(BoardRepository) private readonly rows: BoardRepository,
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
    return (await this.current()).snapshot();
  }

  // A page of the same board: no SQL while the board is current, unless the cursor's row has since
  // left the board (then one query places the cursor among the rows).
  async page(request: BoardPageRequest): Promise<BoardSnapshot> {
    const built = await this.current();
    const after = request.after;
    const start = after
      ? (built.startAfter(after) ?? (await this.rows.countUpTo(built.board.keys, after)))
      : 0;
    return built.page(start, request.limit);
  }

  private async current(): Promise<BuiltBoard> {
    const arrivedAt = Date.now();
    const generation = await this.changes.sync();
    if (generation === null) return this.uncached();
    const stored = this.stored;
    if (stored?.generation === generation && Date.now() < stored.board.expiresAt) return stored.board;
    let build = this.building;
    if (build?.generation !== generation) {
      build = { generation, board: this.buildAndKeep(generation) };
      this.building = build;
    }
    const board = await build.board;
    // Joined a build that evaluated freezes before a boundary this request arrived after: build anew.
    return arrivedAt < board.expiresAt ? board : this.uncached();
  }

  private async buildAndKeep(generation: number): Promise<BuiltBoard> {
    try {
      const board = await this.buildBoard();
      // Kept only if nothing changed meanwhile; a board kept stale would never be served anyway
      // (readers' generations are newer), it would only waste the slot.
      const unchanged = this.changes.seen() === generation;
      if (unchanged) this.stored = { generation, board };
      this.builds.inc({ outcome: unchanged ? 'kept' : 'discarded' });
      return board;
    } finally {
      if (this.building?.generation === generation) this.building = null;
    }
  }

  private async build(outcome: 'uncached'): Promise<BuiltBoard> {
    const board = await this.buildBoard();
    this.builds.inc({ outcome });
    return board;
  }

  private async buildBoard(): Promise<BuiltBoard> {
    const at = new Date();
    const [board, boundary] = await Promise.all([
      this.board.getBoard({}, at),
      this.board.nextFreezeBoundary(at),
    ]);
    const maxAge = at.getTime() + BOARD_MAX_AGE_MS;
    return new BuiltBoard(serialise(board), Math.min(boundary?.getTime() ?? maxAge, maxAge));
  }
}
