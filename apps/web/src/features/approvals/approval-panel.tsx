import type { Approval, DeploymentDetail } from '@flightdeck/contracts';
import { useQuery } from '@tanstack/react-query';
import { CircleCheck, CircleX } from 'lucide-react';
import { Badge } from '../../components/ui/badge';
import { formatTimestamp, shortSha } from '../../lib/time';
import { ApprovalActions } from './approval-actions';
import { describePolicy, progressLabel } from './approval-meta';
import { deploymentApprovalQueryOptions } from './approval-queries';
import { EvidencePanel } from './evidence-panel';
import './approvals.css';

// On the deployment page: who decided so far, the policy in words and, for the viewer, the decision,
// while it waits on its approvals gate; once it stopped waiting (started, rejected, expired…), the
// approval history as it stood then.
export function ApprovalPanel({ deployment: shown }: { deployment: DeploymentDetail }) {
  const pending = shown.status === 'pending';
  const waitsForApproval = pending && shown.gates.some((gate) => gate.kind === 'approvals');
  const query = useQuery({
    ...deploymentApprovalQueryOptions(shown.id),
    enabled: waitsForApproval || !pending,
  });
  const request = query.data;
  if (!request) return null;
  if (!pending)
    return request.approvals.length > 0 ? <ApprovalHistory approvals={request.approvals} /> : null;
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

function ApprovalHistory({ approvals }: { approvals: readonly Approval[] }) {
  return (
    <section className="panel approval-panel" aria-labelledby="approval-history-heading">
      <div className="approval-panel-head">
        <h2 id="approval-history-heading" className="section-title">
          Approval history
        </h2>
      </div>
      <ol className="approval-decisions" aria-label="Decisions">
        {approvals.map((approval) => (
          <DecisionRow key={approval.id} approval={approval} />
        ))}
      </ol>
    </section>
  );
}

const NOT_COUNTED: Record<NonNullable<Approval['notCounted']>, (approval: Approval) => string> = {
  expired: (approval) =>
    `Did not count: expired ${approval.expiresAt ? formatTimestamp(approval.expiresAt) : ''}`.trim(),
  other_release: (approval) => `Did not count: given for ${approval.releaseVersion}, another release`,
  other_commit: (approval) => `Did not count: given for commit ${shortSha(approval.commitSha)}`,
};

function DecisionRow({ approval }: { approval: Approval }) {
  const approved = approval.decision === 'approve';
  const Icon = approved ? CircleCheck : CircleX;
  return (
    <li className="approval-decision">
      <div>
        <Badge tone={approved ? 'success' : 'danger'} icon={<Icon size={12} aria-hidden />}>
          {approved ? 'Approved' : 'Rejected'}
        </Badge>{' '}
        <span className="cell-strong">{approval.by}</span>
        {approval.team ? <span className="muted"> ({approval.team})</span> : null}{' '}
        <span className="muted small">
          <time dateTime={approval.createdAt}>{formatTimestamp(approval.createdAt)}</time> ·{' '}
          {approval.via === 'token' ? 'with an API token' : 'signed in'} · for {approval.releaseVersion} (
          <span className="mono">{shortSha(approval.commitSha)}</span>)
        </span>
        {approval.notCounted ? (
          <Badge tone="neutral" variant="outline" className="approval-stale">
            {NOT_COUNTED[approval.notCounted](approval)}
          </Badge>
        ) : approved ? (
          <Badge tone="success" variant="outline" className="approval-stale">
            Counted
          </Badge>
        ) : null}
      </div>
      {approval.comment ? <p className="approval-comment">“{approval.comment}”</p> : null}
    </li>
  );
}
