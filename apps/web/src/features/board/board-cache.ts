import type { Board, BoardCell } from '@flightdeck/contracts';
import type { QueryClient } from '@tanstack/react-query';
import { queryKeys } from '../../config/query-keys';

// Patches one stage's cell in the cached board, so a change shows before the refetch that confirms it.
export function patchBoardCell(
  queryClient: QueryClient,
  stageId: string,
  patch: (cell: BoardCell) => BoardCell,
): void {
  queryClient.setQueryData<Board>(queryKeys.board.all(), (board) => {
    if (!board) return board;
    let changed = false;
    const rows = board.rows.map((row) => {
      const entry = Object.entries(row.cells).find(([, cell]) => cell.stageId === stageId);
      if (!entry) return row;
      const [environmentId, cell] = entry;
      const next = patch(cell);
      if (next === cell) return row;
      changed = true;
      return { ...row, cells: { ...row.cells, [environmentId]: next } };
    });
    return changed ? { ...board, rows } : board;
  });
}
