import { formatAge, formatTimestamp } from '../../lib/time';
import { useNow } from '../../lib/use-now';
import { boardRefreshMs } from './board-query';

interface BoardFreshnessProps {
  updatedAt: number;
  fetching: boolean;
  stale: boolean;
  live: boolean;
}

// Under stress people must know whether they are looking at the present.
export function BoardFreshness({ updatedAt, fetching, stale, live }: BoardFreshnessProps) {
  const now = useNow();
  const iso = new Date(updatedAt).toISOString();
  const age = formatAge(iso, Math.max(now, updatedAt));
  const state = stale ? 'stale' : live ? 'live' : fetching ? 'fetching' : 'fresh';
  const title = live
    ? `Live: changes appear as they happen. Last updated ${formatTimestamp(iso)}.`
    : `Last updated ${formatTimestamp(iso)}. Refreshes every ${boardRefreshMs(false) / 1000} s.`;
  return (
    <span className="freshness" data-state={state} title={title}>
      <span className="freshness-dot" aria-hidden />
      {stale ? `Refresh failing · updated ${age}` : live ? 'Live' : `Updated ${age}`}
    </span>
  );
}
