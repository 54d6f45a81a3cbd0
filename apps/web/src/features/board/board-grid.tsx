import type { BoardRow, Environment, TierKind } from '@flightdeck/contracts';
import { Shield } from 'lucide-react';
import { useRef, type CSSProperties } from 'react';
import { Badge } from '../../components/ui/badge';
import { useNow } from '../../lib/use-now';
import { BoardCellContent } from './board-cell';
import { waitingSource } from './board-model';
import { describeCell } from './describe-cell';
import { useGridNavigation } from './use-grid-navigation';

const TIER_LABEL: Record<TierKind, string> = {
  development: 'Development',
  staging: 'Staging',
  production: 'Production',
};

// "Staging · Staging" says nothing twice; the tier shows when the name does not already carry it.
const TIER_STEMS: Record<TierKind, readonly string[]> = {
  development: ['dev'],
  staging: ['stag', 'stg'],
  production: ['prod', 'prd'],
};

function nameCarriesTier(environment: Environment): boolean {
  const name = environment.name.toLowerCase();
  return TIER_STEMS[environment.tier].some((stem) => name.startsWith(stem));
}

function EnvironmentHeader({ environment }: { environment: Environment }) {
  const production = environment.tier === 'production';
  const showTier = !nameCarriesTier(environment);
  return (
    <span className="env-header" title={`${environment.name} · ${TIER_LABEL[environment.tier]} tier`}>
      {production ? (
        <Shield
          className="env-prod-mark"
          size={13}
          strokeWidth={2.25}
          role="img"
          aria-label="Production tier"
        />
      ) : null}
      <span className="env-name">{environment.name}</span>
      {showTier ? (
        <Badge
          tone={production ? 'accent' : 'neutral'}
          variant={environment.tier === 'development' ? 'outline' : 'soft'}
        >
          {TIER_LABEL[environment.tier]}
        </Badge>
      ) : null}
    </span>
  );
}

interface BoardGridProps {
  environments: readonly Environment[];
  rows: readonly BoardRow[];
}

export function BoardGrid({ environments, rows }: BoardGridProps) {
  const grid = useRef<HTMLTableElement>(null);
  const now = useNow();
  const { onKeyDown, onFocus, tabIndexOf } = useGridNavigation(grid, rows.length, environments.length + 1);

  return (
    <div className="board-scroll">
      <table
        ref={grid}
        role="grid"
        aria-label="Promotion board"
        aria-readonly="true"
        aria-rowcount={rows.length + 1}
        className="board-grid"
        style={{ '--env-count': environments.length } as CSSProperties}
        onKeyDown={onKeyDown}
        onFocus={onFocus}
      >
        <thead>
          <tr>
            <th scope="col" className="board-corner">
              Service
            </th>
            {environments.map((environment) => (
              <th key={environment.id} scope="col" className="board-env" data-tier={environment.tier}>
                <EnvironmentHeader environment={environment} />
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, rowIndex) => (
            <tr key={row.service.id}>
              <th
                scope="row"
                className="board-service"
                data-row={rowIndex}
                data-col={0}
                tabIndex={tabIndexOf(rowIndex, 0)}
              >
                <span className="service-name">{row.service.name}</span>
                <span className="service-sub">
                  <span className="mono">{row.service.slug}</span>
                  {row.service.team ? <span className="service-team">{row.service.team}</span> : null}
                </span>
              </th>
              {environments.map((environment, envIndex) => {
                const cell = row.cells[environment.id];
                const from = cell ? waitingSource(row, environments, envIndex, cell) : null;
                return (
                  <td
                    key={environment.id}
                    role="gridcell"
                    className="board-cell"
                    data-tier={environment.tier}
                    data-state={cellState(cell)}
                    data-row={rowIndex}
                    data-col={envIndex + 1}
                    tabIndex={tabIndexOf(rowIndex, envIndex + 1)}
                    aria-label={describeCell(row, environment, cell, from, now)}
                  >
                    <BoardCellContent cell={cell} waitingFrom={from} now={now} />
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

// Drives the subtle cell accent (left edge) so trouble is visible at a glance across a wide board.
function cellState(cell: BoardRow['cells'][string] | undefined): string {
  if (!cell) return 'absent';
  const status = cell.lastDeployment?.status;
  if (status === 'failed' || status === 'timed_out') return 'failed';
  if (status === 'queued' || status === 'running' || status === 'verifying') return 'active';
  if (status === 'pending') return 'pending';
  if (!cell.current && !cell.lastDeployment) return 'empty';
  return 'idle';
}
