import { useQuery } from '@tanstack/react-query';
import { Boxes, SearchX, TrainFront } from 'lucide-react';
import { lazy, Suspense, useMemo, useState } from 'react';
import { EmptyState } from '../../components/ui/empty-state';
import { ErrorState } from '../../components/ui/error-state';
import { paths } from '../../config/paths';
import { describeError } from '../../lib/errors';
import { useCan } from '../auth/use-auth';
import { useLiveStatus } from '../live/live-status';
import { BoardFreshness } from './board-freshness';
import { BoardGrid } from './board-grid';
import { filterRows, sortEnvironments, summarize, teamsOf } from './board-model';
import { boardQueryOptions } from './board-query';
import { BoardSkeleton } from './board-skeleton';
import { BoardToolbar } from './board-toolbar';
import { useBoardFilters } from './use-board-filters';

const ReleaseTrainDialog = lazy(() =>
  import('../trains/release-train-dialog').then((module) => ({ default: module.ReleaseTrainDialog })),
);

export function BoardView() {
  const live = useLiveStatus() === 'live';
  const query = useQuery(boardQueryOptions({ live }));
  const { filters, update, clear, active } = useBoardFilters();
  const board = query.data;
  const canDeploy = useCan('deployments:write');
  const [trainOpen, setTrainOpen] = useState(false);

  // Keyed by the environments, not the board: a refetch keeps unchanged parts of the board (structural
  // sharing), so a change to one cell leaves every other row's props equal and only that row renders.
  const boardEnvironments = board?.environments;
  const environments = useMemo(
    () => (boardEnvironments ? sortEnvironments(boardEnvironments) : []),
    [boardEnvironments],
  );
  const rows = useMemo(() => (board ? filterRows(board.rows, filters) : []), [board, filters]);
  const summary = useMemo(() => summarize(rows), [rows]);
  const { teams, hasUnassigned } = useMemo(
    () => (board ? teamsOf(board) : { teams: [], hasUnassigned: false }),
    [board],
  );

  if (query.isPending) {
    return (
      <section className="board" aria-labelledby="board-title">
        <BoardHeading />
        <BoardSkeleton />
      </section>
    );
  }

  if (!board) {
    return (
      <section className="board" aria-labelledby="board-title">
        <BoardHeading />
        <ErrorState
          title="The board could not be loaded"
          error={describeError(query.error)}
          onRetry={() => void query.refetch()}
          retrying={query.isFetching}
        />
      </section>
    );
  }

  if (board.rows.length === 0 || environments.length === 0) {
    return (
      <section className="board" aria-labelledby="board-title">
        <BoardHeading />
        <EmptyState icon={<Boxes size={22} aria-hidden />} title="No services yet">
          <p>
            The board shows every service in every environment once services, environments and their stages
            are registered through the Flightdeck API.
          </p>
          <p>
            See the{' '}
            <a href={paths.apiDocs} target="_blank" rel="noreferrer">
              API reference
            </a>{' '}
            to register them, or start Flightdeck with <code>FLIGHTDECK_DEMO=true</code> to explore with
            sandbox data.
          </p>
        </EmptyState>
      </section>
    );
  }

  return (
    <section className="board" aria-labelledby="board-title">
      <BoardHeading />
      <BoardToolbar
        filters={filters}
        onChange={update}
        onClear={clear}
        filtersActive={active}
        teams={teams}
        hasUnassigned={hasUnassigned}
        summary={summary}
        total={board.rows.length}
        freshness={
          <BoardFreshness
            updatedAt={query.dataUpdatedAt}
            fetching={query.isFetching}
            stale={query.isRefetchError}
            live={live}
          />
        }
        actions={
          canDeploy ? (
            <button type="button" className="button" onClick={() => setTrainOpen(true)}>
              <TrainFront size={14} aria-hidden />
              Release train…
            </button>
          ) : null
        }
      />
      {trainOpen ? (
        <Suspense fallback={null}>
          <ReleaseTrainDialog
            environments={environments}
            rows={board.rows}
            onClose={() => setTrainOpen(false)}
          />
        </Suspense>
      ) : null}
      {rows.length === 0 ? (
        <EmptyState
          icon={<SearchX size={22} aria-hidden />}
          title="No services match these filters"
          actions={
            <button type="button" className="button" onClick={clear}>
              Clear filters
            </button>
          }
        >
          <p>Try another name or slug, or pick a different team.</p>
        </EmptyState>
      ) : (
        <BoardGrid environments={environments} rows={rows} />
      )}
    </section>
  );
}

function BoardHeading() {
  return (
    <h1 id="board-title" className="sr-only">
      Promotion board
    </h1>
  );
}
