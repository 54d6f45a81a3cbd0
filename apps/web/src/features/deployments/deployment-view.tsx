import { canTransition, isTerminal, type DeploymentDetail } from '@flightdeck/contracts';
import { useQuery } from '@tanstack/react-query';
import { ArrowLeft, ExternalLink, FlaskConical, Siren, TrainFront, TriangleAlert, Undo2 } from 'lucide-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { PageHeader } from '../../components/ui/page-header';
import { RelativeTime } from '../../components/ui/relative-time';
import { TableState } from '../../components/ui/table-state';
import { formatMoment, formatTimestamp, shortSha } from '../../lib/time';
import { useNow } from '../../lib/use-now';
import { ApprovalPanel } from '../approvals/approval-panel';
import { useCan } from '../auth/use-auth';
import { DeploymentChecklist } from '../checklist/deployment-checklist';
import { GateList } from '../promotion-preview/gate-list';
import { useRollbackLauncher } from '../rollback/use-rollback-launcher';
import { VerificationPanel } from '../verification/verification-panel';
import { isNotFound, NotFoundPanel } from '../service/not-found-panel';
import { servicePath, trainPath } from '../service/service-paths';
import '../service/service.css';
import { DRIVER_LABEL } from '../service/stage-meta';
import { DeclareIncidentButton } from '../incidents/declare-incident-button';
import { CancelDeploymentDialog } from './cancel-deployment-dialog';
import './deployments.css';
import { DeploymentStatusPill } from '../status/deployment-status-pill';
import { DEPLOYMENT_KIND_LABEL } from '../status/status-meta';
import { deploymentQueryOptions } from './deployment-queries';
import { DeploymentTimeline } from './deployment-timeline';
import { durationBetween } from './duration';
import { GitHubMirror } from './github-mirror';

export function DeploymentView({ id }: { id: string }) {
  const query = useQuery(deploymentQueryOptions(id));

  if (isNotFound(query.error)) {
    return (
      <div className="page">
        <title>Deployment not found · Flightdeck</title>
        <NotFoundPanel title="Deployment not found" summary="No such deployment">
          <p>
            No deployment has the id <code>{id}</code>.
          </p>
        </NotFoundPanel>
      </div>
    );
  }

  return (
    <div className="page">
      <TableState
        query={query}
        errorTitle="The deployment could not be loaded"
        isEmpty={false}
        empty={null}
        skeletonRows={4}
        loadingLabel="Loading the deployment…"
      >
        {query.data ? <DeploymentContent deployment={query.data} /> : null}
      </TableState>
    </div>
  );
}

function DeploymentContent({ deployment }: { deployment: DeploymentDetail }) {
  const { release } = deployment;
  const now = useNow();
  const terminal = isTerminal(deployment.status);
  const canDeploy = useCan('deployments:write');
  const cancellable = canTransition(deployment.status, 'cancelled');
  const [cancelling, setCancelling] = useState(false);
  const rollback = useRollbackLauncher();
  const duration = durationBetween(deployment.startedAt ?? deployment.createdAt, deployment.finishedAt);
  return (
    <>
      <title>{`${deployment.serviceSlug} ${release.version} → ${deployment.environmentSlug} · Flightdeck`}</title>
      <Link to={servicePath(deployment.serviceSlug)} className="back-link small">
        <ArrowLeft size={13} aria-hidden />
        Back to {deployment.serviceSlug}
      </Link>
      <PageHeader
        title={`${release.version} to ${deployment.environmentSlug}`}
        description={`${DEPLOYMENT_KIND_LABEL[deployment.kind]} of ${deployment.serviceSlug}`}
        actions={
          <>
            <DeploymentStatusPill status={deployment.status} />
            {canDeploy && !terminal ? (
              <button
                type="button"
                className="button button-danger-ghost"
                disabled={!cancellable}
                onClick={() => setCancelling(true)}
              >
                Cancel deployment…
              </button>
            ) : null}
            {canDeploy ? (
              <button
                type="button"
                className="button"
                onClick={() =>
                  rollback.openRollback({
                    stageId: deployment.stageId,
                    serviceSlug: deployment.serviceSlug,
                    serviceName: deployment.serviceSlug,
                    environmentName: deployment.environmentSlug,
                  })
                }
              >
                <Undo2 size={14} aria-hidden />
                Roll back this stage…
              </button>
            ) : null}
            <DeclareIncidentButton
              stageIds={[deployment.stageId]}
              deploymentId={deployment.id}
              context={`From ${release.version} to ${deployment.serviceSlug}/${deployment.environmentSlug}: its stage is affected and the deployment is linked as a suspect.`}
            />
          </>
        }
      />
      {cancelling ? (
        <CancelDeploymentDialog deployment={deployment} onClose={() => setCancelling(false)} />
      ) : null}
      {rollback.dialogs}
      {deployment.breakGlass ? (
        <div className="inline-alert break-glass-banner" data-tone="danger" role="note">
          <Siren className="inline-alert-icon" size={16} aria-hidden />
          <div className="inline-alert-body">
            <p className="inline-alert-title">Break glass: gates were overridden</p>
            <p>
              {deployment.requestedBy} deployed through failing gates.{' '}
              {deployment.reason ? <>Reason: {deployment.reason}</> : null}
            </p>
          </div>
        </div>
      ) : null}
      {deployment.status === 'pending' ? (
        <section className="panel deployment-gates" aria-labelledby="gates-heading">
          <h2 id="gates-heading" className="section-title">
            Why is this waiting?
          </h2>
          {deployment.gates.length > 0 ? (
            <GateList gates={deployment.gates} />
          ) : (
            <p className="muted">Every gate passes: it starts on the runner’s next tick.</p>
          )}
        </section>
      ) : null}
      <DeploymentChecklist deployment={deployment} />
      <ApprovalPanel deployment={deployment} />
      {deployment.error ? (
        <div className="inline-alert" data-tone="danger" role="alert">
          <TriangleAlert className="inline-alert-icon" size={16} aria-hidden />
          <div className="inline-alert-body">
            <p className="inline-alert-title">The deployment failed</p>
            <p className="deployment-error">{deployment.error}</p>
          </div>
        </div>
      ) : null}
      {deployment.verification ? <VerificationPanel verification={deployment.verification} /> : null}
      <section className="panel deployment-summary" aria-label="Summary">
        <dl className="summary-grid">
          <div>
            <dt>Service</dt>
            <dd>
              <Link to={servicePath(deployment.serviceSlug)}>{deployment.serviceSlug}</Link>
            </dd>
          </div>
          <div>
            <dt>Environment</dt>
            <dd>{deployment.environmentSlug}</dd>
          </div>
          <div>
            <dt>Release</dt>
            <dd>
              <span className="cell-strong mono">{release.version}</span>{' '}
              <span className="muted mono" title={release.commitSha}>
                {shortSha(release.commitSha)}
              </span>
            </dd>
          </div>
          <div>
            <dt>Kind</dt>
            <dd>{DEPLOYMENT_KIND_LABEL[deployment.kind]}</dd>
          </div>
          <div>
            <dt>Requested by</dt>
            <dd>{deployment.requestedBy}</dd>
          </div>
          <div>
            <dt>Requested</dt>
            <dd>
              <RelativeTime iso={deployment.createdAt} />
            </dd>
          </div>
          <div>
            <dt>{terminal ? 'Took' : 'Running for'}</dt>
            <dd className="tabular">
              {duration ??
                (deployment.startedAt ? <RelativeTime iso={deployment.startedAt} /> : 'Not started')}
            </dd>
          </div>
          <div>
            <dt>Driver</dt>
            <dd className="deployment-driver">
              <span className="deployment-driver-kind" data-kind={deployment.driverKind}>
                {deployment.driverKind === 'sandbox' ? <FlaskConical size={12} aria-hidden /> : null}
                {DRIVER_LABEL[deployment.driverKind]}
              </span>
              {deployment.driverExternalId ? (
                <span className="mono small" title="The driver's own id for this deployment">
                  {deployment.driverExternalId}
                </span>
              ) : null}
              {deployment.driverUrl ? (
                <a href={deployment.driverUrl} target="_blank" rel="noreferrer" className="service-repo">
                  Open in the driver
                  <ExternalLink size={12} aria-hidden />
                  <span className="sr-only">(opens in a new tab)</span>
                </a>
              ) : null}
            </dd>
          </div>
          <GitHubMirror mirror={deployment.github} />
          <div>
            <dt>Deadline</dt>
            <dd>
              {deployment.deadlineAt ? (
                <time dateTime={deployment.deadlineAt} title={formatTimestamp(deployment.deadlineAt)}>
                  {terminal
                    ? formatTimestamp(deployment.deadlineAt)
                    : `Times out ${formatMoment(deployment.deadlineAt, now)}`}
                </time>
              ) : (
                <span className="muted">Set when it is queued</span>
              )}
            </dd>
          </div>
          {deployment.trainId ? (
            <div>
              <dt>Release train</dt>
              <dd>
                <Link to={trainPath(deployment.trainId)} className="service-repo">
                  <TrainFront size={12} aria-hidden />
                  View the train
                </Link>
              </dd>
            </div>
          ) : null}
          <div className="summary-wide">
            <dt>Reason</dt>
            <dd>{deployment.reason || <span className="muted">No reason given</span>}</dd>
          </div>
        </dl>
      </section>
      <section className="service-section" aria-labelledby="timeline-heading">
        <h2 id="timeline-heading" className="section-title">
          Timeline
        </h2>
        <DeploymentTimeline events={deployment.events} />
        {terminal ? null : (
          <p className="muted small">Refreshing every few seconds until the deployment finishes.</p>
        )}
      </section>
    </>
  );
}
