import type { CSSProperties } from 'react';
import { Skeleton } from '../../components/ui/skeleton';
import { CELL_HEIGHT_VARS, CELL_PX } from './board-row-height';

const ROWS = 6;
const COLS = 4;
// The height of the common row: a version, its status and its age (board-row-height.ts).
const ROW_PX =
  2 * CELL_PX.padding + CELL_PX.head + CELL_PX.status + CELL_PX.meta + 2 * CELL_PX.gap + CELL_PX.border;
const GRID_STYLE = { ...CELL_HEIGHT_VARS, '--row-height': `${ROW_PX}px` } as CSSProperties;

export function BoardSkeleton() {
  return (
    <div className="board-scroll" aria-busy="true">
      <p className="sr-only" role="status">
        Loading the board…
      </p>
      <table className="board-grid board-skeleton" aria-hidden style={GRID_STYLE}>
        <thead>
          <tr>
            <th className="board-corner">
              <Skeleton width="4rem" />
            </th>
            {Array.from({ length: COLS }, (_, col) => (
              <th key={col} className="board-env">
                <Skeleton width="5rem" />
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {Array.from({ length: ROWS }, (_, row) => (
            <tr key={row}>
              <th className="board-service">
                <Skeleton width="7rem" height="0.8rem" />
                <Skeleton width="5rem" height="0.6rem" />
              </th>
              {Array.from({ length: COLS }, (_, col) => (
                <td key={col} className="board-cell">
                  <div className="cell">
                    <Skeleton width="4.5rem" height="0.8rem" />
                    <Skeleton width="9rem" height="1.1rem" />
                    <Skeleton width="3rem" height="0.6rem" />
                  </div>
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
