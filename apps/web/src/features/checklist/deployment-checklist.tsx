import type { DeploymentDetail } from '@flightdeck/contracts';
import { Badge } from '../../components/ui/badge';
import { FormError } from '../../components/ui/form-error';
import { RelativeTime } from '../../components/ui/relative-time';
import { useMe } from '../auth/use-auth';
import { useConfirmChecklistItem } from './checklist-queries';
import './checklist.css';

// On the deployment page: the requester ticks the stage's checklist item by item; everyone else
// (approvers first) sees who confirmed what and when.
export function DeploymentChecklist({ deployment }: { deployment: DeploymentDetail }) {
  const me = useMe();
  const confirm = useConfirmChecklistItem(deployment.id);
  const checklist = deployment.checklist;
  if (!checklist) return null;
  const pending = deployment.status === 'pending';
  const canConfirm = pending && me.email === deployment.requestedBy;
  const complete = checklist.confirmed >= checklist.total;
  return (
    <section className="panel deployment-checklist" aria-labelledby="checklist-heading">
      <div className="deployment-checklist-head">
        <h2 id="checklist-heading" className="section-title">
          Checklist
        </h2>
        <Badge tone={complete ? 'success' : 'warning'}>
          {checklist.confirmed} of {checklist.total} confirmed
        </Badge>
      </div>
      {pending && !complete ? (
        <p className="muted small">
          {canConfirm
            ? 'Confirm each item; the deployment starts once all are confirmed and every other gate passes.'
            : `Only the requester, ${deployment.requestedBy}, confirms these.`}
        </p>
      ) : null}
      <ul className="deployment-checklist-items" aria-label="Checklist items">
        {checklist.items.map((item) => (
          <li key={item.id}>
            {canConfirm ? (
              <label className="deployment-checklist-item">
                <input
                  type="checkbox"
                  checked={item.confirmedAt !== null}
                  disabled={item.confirmedAt !== null || confirm.isPending}
                  onChange={() => confirm.mutate(item.id)}
                />
                <span>{item.text}</span>
              </label>
            ) : (
              <span className="deployment-checklist-item">{item.text}</span>
            )}
            <span className="muted small">
              {item.confirmedBy && item.confirmedAt ? (
                <>
                  Confirmed by {item.confirmedBy} <RelativeTime iso={item.confirmedAt} />
                </>
              ) : (
                'Not confirmed'
              )}
            </span>
          </li>
        ))}
      </ul>
      {confirm.error ? <FormError error={confirm.error} title="Not confirmed" /> : null}
    </section>
  );
}
