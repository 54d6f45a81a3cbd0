import type { Approval, DeploymentDetail } from '@flightdeck/contracts';
import { useQuery } from '@tanstack/react-query';
import { Badge } from '../../components/ui/badge';
import { RelativeTime } from '../../components/ui/relative-time';
import { shortSha } from '../../lib/time';
import { ApprovalActions } from './approval-actions';
import { describePolicy, progressLabel } from './approval-meta';
import { deploymentApprovalQueryOptions } from './approval-queries';
import { EvidencePanel } from './evidence-panel';
import './approvals.css';

// On the deployment page: who decided so far, the policy in words and, for the viewer, the decision.
// Asked for only while it waits on its approvals gate.
export function ApprovalPanel({ deployment: shown }: { deployment: DeploymentDetail }) {
  const pending = shown.status === 'pending';
  const waitsForApproval = pending && shown.gates.some((gate) => gate.kind === 'approvals');
  const query = useQuery({
    ...deploymentApprovalQueryOptions(shown.id),
    enabled: waitsForApproval,
  });
  const request = query.data;
  if (!request) return null;
  const needsApproval = request.required > 0 && request.policy.source !== 'none';
  if (!waitsForApproval || !needsApproval) return null;
  const { deployment } = request;
  return (
    <>
      <section className="panel approval-panel" aria-labelledby="approval-heading">
        <div className="approval-panel-head">
          <h2 id="approval-heading" className="section-title">
            Approvals
          </h2>
          {needsApproval ? (
            <Badge tone={request.approved >= request.required ? 'success' : 'warning'}>
              {progressLabel(request)}
            </Badge>
          ) : null}
        </div>
        <ul className="approval-policy" aria-label="Policy">
          {describePolicy(request.policy).map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
        {request.approvals.length > 0 ? (
          <ol className="approval-decisions" aria-label="Decisions">
            {request.approvals.map((approval) => (
              <DecisionRow key={approval.id} approval={approval} />
            ))}
          </ol>
        ) : (
          <p className="muted">No decision yet.</p>
        )}
        {request.deployment.status === 'pending' ? (
          <ApprovalActions
            request={request}
            label={`${deployment.serviceSlug} ${deployment.release.version} to ${deployment.environmentSlug}`}
          />
        ) : null}
      </section>
      <EvidencePanel deploymentId={shown.id} />
    </>
  );
}

function DecisionRow({ approval }: { approval: Approval }) {
  const approved = approval.decision === 'approve';
  return (
    <li className="approval-decision">
      <div>
        <Badge tone={approved ? 'success' : 'danger'}>{approved ? 'Approved' : 'Rejected'}</Badge>{' '}
        <span className="cell-strong">{approval.by}</span>
        {approval.team ? <span className="muted"> ({approval.team})</span> : null}{' '}
        <span className="muted small">
          <RelativeTime iso={approval.createdAt} />
          {approval.via === 'token' ? ' · through the API' : ''} · for{' '}
          <span className="mono">{shortSha(approval.commitSha)}</span>
        </span>
        {approved && !approval.valid ? (
          <Badge tone="neutral" variant="outline" className="approval-stale">
            No longer counts
          </Badge>
        ) : null}
      </div>
      {approval.comment ? <p className="approval-comment">“{approval.comment}”</p> : null}
    </li>
  );
}
