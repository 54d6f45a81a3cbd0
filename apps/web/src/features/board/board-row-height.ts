import type { BoardCell, BoardRow, Environment } from '@flightdeck/contracts';
import { isActive, isTerminal } from '@flightdeck/contracts';
import type { CSSProperties } from 'react';

// A row's height follows from its data, so the virtualiser never measures a row (no layout read, no
// ResizeObserver while the board scrolls). Each part of a cell has a fixed height (board.css reads these
// through the custom properties below) and a cell is the sum of the parts it shows; a row is its tallest
// cell, and at least the service's name (up to two lines) and slug.
export const CELL_PX = {
  padding: 10,
  gap: 6,
  head: 20,
  status: 20,
  progress: 3,
  marker: 24,
  meta: 18,
  absent: 38,
  service: 78,
  border: 1,
} as const;

// What a cell shows, top to bottom, as the parts board-cell.tsx renders.
export function cellParts(cell: BoardCell): (keyof typeof CELL_PX)[] {
  const last = cell.lastDeployment;
  const flying = last && !isTerminal(last.status) ? last.status : undefined;
  const parts: (keyof typeof CELL_PX)[] = ['head'];
  if (last || cell.current || cell.health !== 'unknown') parts.push('status');
  if (flying && isActive(flying)) parts.push('progress');
  // A pending deployment keeps a line for what it waits for, shown once known.
  if (flying === 'pending') parts.push('marker');
  if (last?.breakGlass) parts.push('marker');
  if (cell.deployedAt || (last && last.kind !== 'promote')) parts.push('meta');
  if (cell.waiting) parts.push('marker');
  if (cell.freeze) parts.push('marker');
  if (cell.hold) parts.push('marker');
  if (cell.lock) parts.push('marker');
  return parts;
}

export function cellHeight(cell: BoardCell | undefined): number {
  if (!cell) return CELL_PX.absent;
  const parts = cellParts(cell);
  const content = parts.reduce((sum, part) => sum + CELL_PX[part], 0);
  return 2 * CELL_PX.padding + content + CELL_PX.gap * (parts.length - 1);
}

// The row's height in pixels, its bottom border included.
export function rowHeight(row: BoardRow, environments: readonly Environment[]): number {
  const tallest = environments.reduce<number>(
    (max, environment) => Math.max(max, cellHeight(row.cells[environment.id])),
    CELL_PX.service,
  );
  return tallest + CELL_PX.border;
}

// The parts' heights for board.css, set once on the grid.
export const CELL_HEIGHT_VARS = Object.fromEntries(
  Object.entries(CELL_PX).map(([part, px]) => [`--cell-${part}`, `${px}px`]),
) as CSSProperties;
