import type { ApiToken } from '@flightdeck/contracts';
import { Ban, CircleCheck, TimerOff } from 'lucide-react';
import { StatusPill } from '../../components/ui/status-pill';
import { formatTimestamp } from '../../lib/time';
import { useNow } from '../../lib/use-now';

export function TokenStatus({ token }: { token: ApiToken }) {
  const now = useNow();
  if (token.revokedAt) {
    return (
      <StatusPill
        tone="neutral"
        Icon={Ban}
        label="Revoked"
        title={`Revoked ${formatTimestamp(token.revokedAt)}`}
      />
    );
  }
  if (token.expiresAt && Date.parse(token.expiresAt) <= now) {
    return (
      <StatusPill
        tone="warning"
        Icon={TimerOff}
        label="Expired"
        title={`Expired ${formatTimestamp(token.expiresAt)}`}
      />
    );
  }
  return <StatusPill tone="success" Icon={CircleCheck} label="Active" quiet />;
}
