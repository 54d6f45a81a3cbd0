import type { SuspectDeployment } from '@flightdeck/contracts';
import { useQuery } from '@tanstack/react-query';
import { Undo2 } from 'lucide-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { Badge } from '../../components/ui/badge';
import { ConfirmDialog } from '../../components/ui/confirm-dialog';
import { TableState } from '../../components/ui/table-state';
import { describeError } from '../../lib/errors';
import { formatTimestamp } from '../../lib/time';
import { useIdempotencyKey } from '../../lib/idempotency';
import { useCan } from '../auth/use-auth';
import { DeploymentStatusPill } from '../status/deployment-status-pill';
import { deploymentPath } from '../service/service-paths';
import { suspectsQueryOptions, useRollbackSuspect } from './incident-queries';

// Deployments to the affected stages shortly before detection, likeliest cause first, with the reasons
// and a one-click rollback of each one that still runs.
export function SuspectList({ incidentId, reference }: { incidentId: string; reference: string }) {
  const query = useQuery(suspectsQueryOptions(incidentId));
  const canRollBack = useCan('deployments:write');
  const [target, setTarget] = useState<SuspectDeployment | null>(null);
  const rollback = useRollbackSuspect(incidentId);
  const keyFor = useIdempotencyKey();
  const items = query.data?.items ?? [];
  const confirm = () => {
    if (!target) return;
    const request = { deploymentId: target.deployment.id, reason: `suspect of ${reference}` };
    rollback.mutate({ ...request, idempotencyKey: keyFor(request) }, { onSuccess: () => setTarget(null) });
  };
  return (
    <section className="incident-panel" aria-label="Suspect deployments">
      <h2 className="incident-panel-title">Suspect deployments</h2>
      <TableState
        query={query}
        errorTitle="Suspects could not be loaded"
        isEmpty={items.length === 0}
        loadingLabel="Looking for suspects…"
        empty={
          <p className="muted">
            No deployment to the affected stages finished within {query.data?.windowMinutes ?? 240} minutes
            before detection.
          </p>
        }
      >
        <ol className="incident-suspects">
          {items.map((suspect) => (
            <li key={suspect.deployment.id} className="incident-suspect" data-rank={suspect.rank}>
              <div className="incident-suspect-head">
                <span className="incident-suspect-rank" aria-label={`Rank ${suspect.rank}`}>
                  #{suspect.rank}
                </span>
                <Link to={deploymentPath(suspect.deployment.id)} className="cell-strong">
                  {suspect.deployment.release.version} → {suspect.deployment.serviceSlug}/
                  {suspect.deployment.environmentSlug}
                </Link>
                <DeploymentStatusPill status={suspect.deployment.status} />
                {suspect.relations.map((relation) => (
                  <Badge key={relation} tone={relation === 'cause' ? 'danger' : 'neutral'} variant="outline">
                    {relation}
                  </Badge>
                ))}
              </div>
              <p className="muted">
                Finished{' '}
                {suspect.deployment.finishedAt ? formatTimestamp(suspect.deployment.finishedAt) : '—'} ·
                requested by {suspect.deployment.requestedBy}
              </p>
              <p className="incident-suspect-why">Why: {suspect.reasons.join('; ')}.</p>
              {suspect.remediation ? (
                <p>
                  Rolled back by{' '}
                  <Link to={deploymentPath(suspect.remediation.id)}>
                    rollback to {suspect.remediation.release.version}
                  </Link>{' '}
                  <DeploymentStatusPill status={suspect.remediation.status} />
                </p>
              ) : null}
              {canRollBack ? (
                <button
                  type="button"
                  className="button button-small button-danger-ghost"
                  disabled={!suspect.rollback.possible}
                  title={suspect.rollback.reason}
                  aria-label={`Roll back ${suspect.deployment.release.version} on ${suspect.deployment.serviceSlug}/${suspect.deployment.environmentSlug}`}
                  onClick={() => setTarget(suspect)}
                >
                  <Undo2 size={14} aria-hidden /> Roll back
                </button>
              ) : null}
              {!suspect.rollback.possible ? <p className="muted">{suspect.rollback.reason}</p> : null}
            </li>
          ))}
        </ol>
      </TableState>
      <ConfirmDialog
        open={target !== null}
        title="Roll back this deployment?"
        confirmLabel="Roll back"
        busyLabel="Rolling back…"
        tone="danger"
        busy={rollback.isPending}
        error={rollback.error ? describeError(rollback.error).message : null}
        onClose={() => setTarget(null)}
        onConfirm={confirm}
      >
        {target ? (
          <p>
            {target.rollback.reason}. The deployment is recorded as the cause of {reference} and the rollback
            as its remediation; the release rolled back from is held on the stage.
          </p>
        ) : null}
      </ConfirmDialog>
    </section>
  );
}
