import { formatAge, formatTimestamp } from '../../lib/time';
import { useNow } from '../../lib/use-now';
import { BOARD_REFRESH_MS } from './board-query';

interface BoardFreshnessProps {
  updatedAt: number;
  fetching: boolean;
  stale: boolean;
}

// Under stress people must know whether they are looking at the present.
export function BoardFreshness({ updatedAt, fetching, stale }: BoardFreshnessProps) {
  const now = useNow();
  const iso = new Date(updatedAt).toISOString();
  const age = formatAge(iso, Math.max(now, updatedAt));
  return (
    <span
      className="freshness"
      data-state={stale ? 'stale' : fetching ? 'fetching' : 'fresh'}
      title={`Last updated ${formatTimestamp(iso)}. Refreshes every ${BOARD_REFRESH_MS / 1000} s.`}
    >
      <span className="freshness-dot" aria-hidden />
      {stale ? `Refresh failing · updated ${age}` : `Updated ${age}`}
    </span>
  );
}
