import type { ApprovalRequest } from '@flightdeck/contracts';
import { Check, X } from 'lucide-react';
import { useState } from 'react';
import type { Decision } from './approval-queries';
import { DecideDialog } from './decide-dialog';

// Approve and Reject for someone who may decide now; otherwise the server's plain reason why not.
export function ApprovalActions({ request, label }: { request: ApprovalRequest; label: string }) {
  const [deciding, setDeciding] = useState<Decision | null>(null);
  if (!request.canDecide) {
    return <p className="muted small approval-why-not">{request.whyNot ?? 'You cannot decide on it.'}</p>;
  }
  return (
    <div className="approval-actions">
      <button
        type="button"
        className="button button-small button-primary"
        aria-label={`Approve ${label}`}
        onClick={() => setDeciding('approve')}
      >
        <Check size={14} aria-hidden />
        Approve
      </button>
      <button
        type="button"
        className="button button-small button-danger-ghost"
        aria-label={`Reject ${label}`}
        onClick={() => setDeciding('reject')}
      >
        <X size={14} aria-hidden />
        Reject
      </button>
      {deciding ? (
        <DecideDialog request={request} decision={deciding} onClose={() => setDeciding(null)} />
      ) : null}
    </div>
  );
}
