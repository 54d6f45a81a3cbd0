import type { ReactNode } from 'react';
import { describeError } from '../../lib/errors';
import { ErrorState } from './error-state';
import { Skeleton } from './skeleton';

interface QueryLike {
  isPending: boolean;
  isFetching: boolean;
  data: unknown;
  error: unknown;
  refetch: () => unknown;
}

interface TableStateProps {
  query: QueryLike;
  // Titles the error panel, e.g. "Users could not be loaded".
  errorTitle: string;
  isEmpty: boolean;
  empty: ReactNode;
  skeletonRows?: number;
  // Read by screen readers while loading.
  loadingLabel?: string;
  children: ReactNode;
}

// Loading, error and empty states of a list, then the list itself.
export function TableState(props: TableStateProps) {
  const { query, errorTitle, isEmpty, empty, skeletonRows = 2, loadingLabel, children } = props;
  if (query.isPending) {
    return (
      <div className="panel" aria-busy="true">
        {loadingLabel ? <span className="sr-only">{loadingLabel}</span> : null}
        {Array.from({ length: skeletonRows }, (_, index) => (
          <Skeleton key={index} height="1rem" />
        ))}
      </div>
    );
  }
  if (!query.data) {
    return (
      <ErrorState
        title={errorTitle}
        error={describeError(query.error)}
        onRetry={() => void query.refetch()}
        retrying={query.isFetching}
      />
    );
  }
  return <>{isEmpty ? empty : children}</>;
}
