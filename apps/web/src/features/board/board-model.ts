import { isActive, type Board, type BoardCell, type BoardRow, type Environment } from '@flightdeck/contracts';

export interface BoardFilters {
  q: string;
  team: string;
}

// Sentinel for services without a team in the team filter.
export const NO_TEAM = '__none__';

export function filterRows(rows: readonly BoardRow[], filters: BoardFilters): BoardRow[] {
  const needle = filters.q.trim().toLowerCase();
  return rows.filter(({ service }) => {
    if (filters.team) {
      if (filters.team === NO_TEAM ? service.team !== null : service.team !== filters.team) return false;
    }
    if (!needle) return true;
    return service.name.toLowerCase().includes(needle) || service.slug.toLowerCase().includes(needle);
  });
}

export function teamsOf(board: Board): { teams: string[]; hasUnassigned: boolean } {
  const teams = new Set<string>();
  let hasUnassigned = false;
  for (const { service } of board.rows) {
    if (service.team) teams.add(service.team);
    else hasUnassigned = true;
  }
  return { teams: [...teams].sort((a, b) => a.localeCompare(b)), hasUnassigned };
}

export function sortEnvironments(environments: readonly Environment[]): Environment[] {
  return [...environments].sort((a, b) => a.position - b.position);
}

export interface BoardSummary {
  services: number;
  deploying: number;
  pending: number;
  failed: number;
  degraded: number;
  locked: number;
}

const FAILED = new Set(['failed', 'timed_out']);

export function summarize(rows: readonly BoardRow[]): BoardSummary {
  const summary: BoardSummary = {
    services: rows.length,
    deploying: 0,
    pending: 0,
    failed: 0,
    degraded: 0,
    locked: 0,
  };
  for (const row of rows) {
    for (const cell of Object.values(row.cells)) {
      const status = cell.lastDeployment?.status;
      if (status && isActive(status)) summary.deploying += 1;
      if (status === 'pending') summary.pending += 1;
      if (status && FAILED.has(status)) summary.failed += 1;
      if (cell.health === 'degraded' || cell.health === 'missing') summary.degraded += 1;
      if (cell.lock) summary.locked += 1;
    }
  }
  return summary;
}

// The nearest upstream environment (in promotion order) already running the waiting release.
export function waitingSource(
  row: BoardRow,
  environments: readonly Environment[],
  index: number,
  cell: BoardCell,
): Environment | null {
  const waiting = cell.waiting;
  if (!waiting) return null;
  for (let i = index - 1; i >= 0; i -= 1) {
    const environment = environments[i];
    if (environment && row.cells[environment.id]?.current?.id === waiting.id) return environment;
  }
  return null;
}

// The release the last deployment moved (or is moving) when it is not what runs now.
export function pendingRelease(cell: BoardCell) {
  const last = cell.lastDeployment;
  if (!last) return null;
  return last.release.id === cell.current?.id ? null : last.release;
}
