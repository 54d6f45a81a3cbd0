import { formatTimestamp } from '../../lib/time';
import { useNow } from '../../lib/use-now';
import { formatRelative } from '../../lib/time';

// "3h ago" / "in 12d", with the full local timestamp on hover.
export function RelativeTime({ iso }: { iso: string }) {
  const now = useNow();
  return (
    <time dateTime={iso} title={formatTimestamp(iso)}>
      {formatRelative(iso, now)}
    </time>
  );
}
