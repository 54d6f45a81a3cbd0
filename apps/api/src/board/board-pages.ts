import type { BoardKey } from './board-page.js';
import { type BoardSnapshot, pageSnapshot, type SerialisedBoard, wholeSnapshot } from './board-snapshot.js';

// Page bodies kept per built board, in UTF-16 code units (about bytes for JSON). Pages of a walk at
// the default size are a few hundred KiB each at 1,000 services; beyond the budget the least recently
// served page goes first, so odd cursors and sizes cannot grow a replica's memory without bound.
export const PAGE_BUDGET_CHARS = 32 * 1024 * 1024;

// One built board as the cache keeps it: the whole body and its pages, each serialised (and gzipped)
// at most once while the board is current.
export class BuiltBoard {
  private whole: BoardSnapshot | null = null;
  private readonly pages = new Map<string, BoardSnapshot>();
  private pageChars = 0;
  private positions: Map<string, number> | null = null;

  constructor(
    readonly board: SerialisedBoard,
    readonly expiresAt: number,
    private readonly budget = PAGE_BUDGET_CHARS,
  ) {}

  snapshot(): BoardSnapshot {
    this.whole ??= wholeSnapshot(this.board, this.expiresAt);
    return this.whole;
  }

  // Where the rows after `key` start, when its row is on this board unchanged; null when it is not
  // (deleted or renamed since the cursor was given): then only the database's ordering can place it.
  startAfter(key: BoardKey): number | null {
    this.positions ??= new Map(this.board.keys.map((k, index) => [k.id, index]));
    const index = this.positions.get(key.id);
    return index !== undefined && this.board.keys[index]!.name === key.name ? index + 1 : null;
  }

  page(start: number, limit: number): BoardSnapshot {
    const id = `${start}:${limit}`;
    const kept = this.pages.get(id);
    if (kept) {
      // Most recently served last: eviction takes from the front.
      this.pages.delete(id);
      this.pages.set(id, kept);
      return kept;
    }
    const made = pageSnapshot(this.board, start, limit, this.expiresAt);
    this.pages.set(id, made);
    this.pageChars += made.body.length;
    for (const [oldest, page] of this.pages) {
      if (this.pageChars <= this.budget || oldest === id) break;
      this.pages.delete(oldest);
      this.pageChars -= page.body.length;
    }
    return made;
  }
}
