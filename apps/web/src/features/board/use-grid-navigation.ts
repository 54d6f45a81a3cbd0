import { useEffect, useRef, useState, type FocusEvent, type KeyboardEvent, type RefObject } from 'react';

interface GridPosition {
  row: number;
  col: number;
}

// Roving tabindex for a data grid: Tab enters the grid once, arrows/Home/End/PageUp/PageDown move
// between cells, and Tab leaves it. Cells carry `data-row` / `data-col`.
// With virtualised rows (`rendered`: the rows in the DOM), a move to a row not rendered first `reveal`s
// it and focuses it once it is there; Tab enters at the active cell, or at the first rendered row when
// the active one has scrolled away.
export function useGridNavigation(
  grid: RefObject<HTMLElement | null>,
  rows: number,
  cols: number,
  virtual?: { rendered: readonly number[]; reveal: (row: number) => void },
) {
  const [active, setActive] = useState<GridPosition>({ row: 0, col: 0 });
  const pendingFocus = useRef<GridPosition | null>(null);
  // Filtering can shrink the grid under the active cell.
  const current = { row: Math.min(active.row, Math.max(rows - 1, 0)), col: Math.min(active.col, cols - 1) };

  const cellAt = (position: GridPosition) =>
    grid.current?.querySelector<HTMLElement>(`[data-row="${position.row}"][data-col="${position.col}"]`);

  const focusCell = (position: GridPosition) => {
    setActive(position);
    const cell = cellAt(position);
    if (cell) {
      cell.focus();
      return;
    }
    pendingFocus.current = position;
    virtual?.reveal(position.row);
  };

  // After each render: the row revealed for a pending move may be in the DOM now.
  useEffect(() => {
    const position = pendingFocus.current;
    const cell = position ? cellAt(position) : null;
    if (cell) {
      pendingFocus.current = null;
      cell.focus();
    }
  });

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (rows === 0) return;
    const { row, col } = current;
    const lastRow = rows - 1;
    const lastCol = cols - 1;
    let next: GridPosition;
    switch (event.key) {
      case 'ArrowRight':
        next = { row, col: Math.min(col + 1, lastCol) };
        break;
      case 'ArrowLeft':
        next = { row, col: Math.max(col - 1, 0) };
        break;
      case 'ArrowDown':
        next = { row: Math.min(row + 1, lastRow), col };
        break;
      case 'ArrowUp':
        next = { row: Math.max(row - 1, 0), col };
        break;
      case 'Home':
        next = event.ctrlKey ? { row: 0, col: 0 } : { row, col: 0 };
        break;
      case 'End':
        next = event.ctrlKey ? { row: lastRow, col: lastCol } : { row, col: lastCol };
        break;
      case 'PageDown':
        next = { row: Math.min(row + 10, lastRow), col };
        break;
      case 'PageUp':
        next = { row: Math.max(row - 10, 0), col };
        break;
      default:
        return;
    }
    event.preventDefault();
    focusCell(next);
  };

  // Clicking a cell makes it the one Tab returns to.
  const onFocus = (event: FocusEvent<HTMLElement>) => {
    const target = event.target.closest<HTMLElement>('[data-row]');
    if (!target) return;
    const row = Number(target.dataset.row);
    const col = Number(target.dataset.col);
    if (row !== current.row || col !== current.col) setActive({ row, col });
  };

  const rendered = virtual?.rendered;
  const entryRow =
    rendered && rendered.length > 0 && !rendered.includes(current.row) ? rendered[0]! : current.row;
  const tabIndexOf = (row: number, col: number) => (row === entryRow && col === current.col ? 0 : -1);

  return { onKeyDown, onFocus, tabIndexOf };
}
