import { useQuery } from '@tanstack/react-query';
import { LoaderCircle, RefreshCw, ShieldCheck, ShieldX, TriangleAlert } from 'lucide-react';
import { describeError } from '../../lib/errors';
import { formatTimestamp } from '../../lib/time';
import { auditVerificationQueryOptions } from './audit-queries';

// The ledger's integrity at a glance: every event's hash recomputed and linked to its predecessor.
export function ChainBadge() {
  const query = useQuery(auditVerificationQueryOptions());
  const result = query.data;
  const recheck = (
    <button
      type="button"
      className="icon-button"
      onClick={() => void query.refetch()}
      disabled={query.isFetching}
      aria-label="Verify the chain again"
      title="Verify the chain again"
    >
      <RefreshCw size={13} aria-hidden className={query.isFetching ? 'spin' : undefined} />
    </button>
  );

  if (query.isPending) {
    return (
      <p className="chain-badge" data-tone="info" role="status">
        <LoaderCircle size={14} aria-hidden className="spin" />
        Verifying the hash chain…
      </p>
    );
  }
  if (!result) {
    return (
      <p className="chain-badge" data-tone="neutral" role="status">
        <TriangleAlert size={14} aria-hidden />
        Chain not verified: {describeError(query.error).message}
        {recheck}
      </p>
    );
  }
  if (result.ok) {
    return (
      <p
        className="chain-badge"
        data-tone="success"
        role="status"
        title={`Verified ${formatTimestamp(result.verifiedAt)}`}
      >
        <ShieldCheck size={14} aria-hidden />
        Chain verified · {result.checked.toLocaleString()} {result.checked === 1 ? 'event' : 'events'}
        {recheck}
      </p>
    );
  }
  return (
    <p
      className="chain-badge"
      data-tone="danger"
      role="alert"
      title={`Checked ${formatTimestamp(result.verifiedAt)}`}
    >
      <ShieldX size={14} aria-hidden />
      {result.firstBroken
        ? `Chain broken at event #${result.firstBroken.id}: ${result.firstBroken.reason}`
        : 'Chain broken'}
      {recheck}
    </p>
  );
}
