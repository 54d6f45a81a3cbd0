import { isActive, isTerminal, type Deployment, type ReleaseTrain } from '@flightdeck/contracts';
import { useQuery } from '@tanstack/react-query';
import { ArrowLeft, Siren } from 'lucide-react';
import { Link } from 'react-router';
import { PageHeader } from '../../components/ui/page-header';
import { RelativeTime } from '../../components/ui/relative-time';
import { TableState } from '../../components/ui/table-state';
import { paths } from '../../config/paths';
import { shortSha } from '../../lib/time';
import { GateList } from '../promotion-preview/gate-list';
import { isNotFound, NotFoundPanel } from '../service/not-found-panel';
import { deploymentPath, servicePath } from '../service/service-paths';
import '../service/service.css';
import { DeploymentStatusPill } from '../status/deployment-status-pill';
import { DEPLOYMENT_KIND_LABEL, DEPLOYMENT_STATUS_META } from '../status/status-meta';
import { trainInFlight, trainQueryOptions } from './train-queries';
import './trains.css';

export function TrainView({ id }: { id: string }) {
  const query = useQuery(trainQueryOptions(id));

  if (isNotFound(query.error)) {
    return (
      <div className="page">
        <title>Release train not found · Flightdeck</title>
        <NotFoundPanel title="Release train not found" summary="No such release train">
          <p>
            No release train has the id <code>{id}</code>.
          </p>
        </NotFoundPanel>
      </div>
    );
  }

  return (
    <div className="page">
      <TableState
        query={query}
        errorTitle="The release train could not be loaded"
        isEmpty={false}
        empty={null}
        skeletonRows={4}
        loadingLabel="Loading the release train…"
      >
        {query.data ? <TrainContent train={query.data} /> : null}
      </TableState>
    </div>
  );
}

function TrainContent({ train }: { train: ReleaseTrain }) {
  const counts = countByOutcome(train.deployments);
  const parts = [
    counts.moving ? `${counts.moving} in flight` : null,
    counts.pending ? `${counts.pending} pending` : null,
    counts.succeeded ? `${counts.succeeded} succeeded` : null,
    counts.failed ? `${counts.failed} failed` : null,
    counts.other ? `${counts.other} stopped` : null,
    train.skipped.length ? `${train.skipped.length} skipped` : null,
  ].filter(Boolean);
  return (
    <>
      <title>{`Release train to ${train.environmentSlug} · Flightdeck`}</title>
      <Link to={paths.board} className="back-link small">
        <ArrowLeft size={13} aria-hidden />
        Back to the board
      </Link>
      <PageHeader
        title={`Release train to ${train.environmentSlug}`}
        description={parts.join(' · ') || 'Nothing started'}
      />
      <section className="panel deployment-summary" aria-label="Summary">
        <dl className="summary-grid">
          <div>
            <dt>Environment</dt>
            <dd>{train.environmentSlug}</dd>
          </div>
          <div>
            <dt>Requested by</dt>
            <dd>{train.requestedBy}</dd>
          </div>
          <div>
            <dt>Requested</dt>
            <dd>
              <RelativeTime iso={train.createdAt} />
            </dd>
          </div>
          <div className="summary-wide">
            <dt>Reason</dt>
            <dd>{train.reason || <span className="muted">No reason given</span>}</dd>
          </div>
        </dl>
      </section>

      <section className="service-section" aria-labelledby="train-deployments-heading">
        <h2 id="train-deployments-heading" className="section-title">
          Deployments
        </h2>
        {train.deployments.length === 0 ? (
          <p className="muted">The train started no deployment.</p>
        ) : (
          <div className="table-wrap">
            <table className="table train-table" aria-label="Train deployments">
              <thead>
                <tr>
                  <th scope="col">Service</th>
                  <th scope="col">Release</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="train-view-col">
                    <span className="sr-only">Details</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {train.deployments.map((deployment) => (
                  <tr key={deployment.id} data-status={deployment.status}>
                    <th scope="row">
                      <Link to={servicePath(deployment.serviceSlug)} className="cell-strong">
                        {deployment.serviceSlug}
                      </Link>
                    </th>
                    <td>
                      <span className="mono cell-strong">{deployment.release.version}</span>{' '}
                      <span className="mono muted" title={deployment.release.commitSha}>
                        {shortSha(deployment.release.commitSha)}
                      </span>
                      {deployment.kind !== 'promote' ? (
                        <span className="muted small"> · {DEPLOYMENT_KIND_LABEL[deployment.kind]}</span>
                      ) : null}
                    </td>
                    <td>
                      <span className="train-status">
                        <Link
                          to={deploymentPath(deployment.id)}
                          className="train-status-link"
                          aria-label={`${DEPLOYMENT_STATUS_META[deployment.status].label}: deployment of ${deployment.serviceSlug}`}
                        >
                          <DeploymentStatusPill status={deployment.status} />
                        </Link>
                        {deployment.breakGlass ? (
                          <span className="train-break-glass">
                            <Siren size={12} aria-hidden /> Break glass
                          </span>
                        ) : null}
                      </span>
                      {deployment.error ? <p className="train-error small">{deployment.error}</p> : null}
                    </td>
                    <td className="train-view-col">
                      <Link to={deploymentPath(deployment.id)}>View deployment</Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {trainInFlight(train) ? (
          <p className="muted small">Updates live until every deployment finishes.</p>
        ) : null}
      </section>

      {train.skipped.length > 0 ? (
        <section className="service-section" aria-labelledby="train-skipped-heading">
          <h2 id="train-skipped-heading" className="section-title">
            Skipped
          </h2>
          <ul className="train-skipped" aria-label="Skipped services">
            {train.skipped.map((skip) => (
              <li key={skip.serviceSlug} className="panel train-skip">
                <p>
                  <Link to={servicePath(skip.serviceSlug)} className="cell-strong">
                    {skip.serviceSlug}
                  </Link>
                  : {skip.message}
                </p>
                {showsMore(skip) ? (
                  <GateList
                    gates={skip.gates.filter((gate) => gate.state !== 'pass')}
                    label={`Gates for ${skip.serviceSlug}`}
                  />
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}

// The gates, unless the sentence already says all they would.
function showsMore(skip: ReleaseTrain['skipped'][number]): boolean {
  const open = skip.gates.filter((gate) => gate.state !== 'pass');
  return open.length > 1 || (open.length === 1 && !skip.message.includes(open[0]!.message));
}

function countByOutcome(deployments: readonly Deployment[]) {
  const counts = { moving: 0, pending: 0, succeeded: 0, failed: 0, other: 0 };
  for (const { status } of deployments) {
    if (isActive(status)) counts.moving += 1;
    else if (status === 'pending') counts.pending += 1;
    else if (status === 'succeeded') counts.succeeded += 1;
    else if (status === 'failed' || status === 'timed_out') counts.failed += 1;
    else if (isTerminal(status)) counts.other += 1;
  }
  return counts;
}
