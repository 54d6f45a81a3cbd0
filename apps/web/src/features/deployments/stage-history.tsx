import type { Environment } from '@flightdeck/contracts';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { History, Undo2 } from 'lucide-react';
import { Link } from 'react-router';
import { EmptyState } from '../../components/ui/empty-state';
import { RelativeTime } from '../../components/ui/relative-time';
import { TableState } from '../../components/ui/table-state';
import { shortSha } from '../../lib/time';
import { useCan } from '../auth/use-auth';
import { useRollbackLauncher } from '../rollback/use-rollback-launcher';
import { serviceBoardQueryOptions } from '../service/service-queries';
import { deploymentPath } from '../service/service-paths';
import { DeploymentStatusPill } from '../status/deployment-status-pill';
import { DEPLOYMENT_KIND_LABEL } from '../status/status-meta';
import { stageHistoryQueryOptions } from './deployment-queries';
import { durationBetween } from './duration';

interface StageHistoryProps {
  service: string;
  environments: Environment[];
}

// Recent deployments of one service, one list per environment it deploys to, in promotion order.
export function StageHistory({ service, environments }: StageHistoryProps) {
  // What runs where (shared with the pipeline above): a stage running something can be rolled back.
  const row = useQuery(serviceBoardQueryOptions(service)).data ?? null;
  const canDeploy = useCan('deployments:write');
  const rollback = useRollbackLauncher();
  return (
    <section className="service-section" aria-labelledby="history-heading">
      <h2 id="history-heading" className="section-title">
        Stage history
      </h2>
      <div className="history-list">
        {environments.map((environment) => (
          <EnvironmentHistory
            key={environment.id}
            service={service}
            environment={environment}
            onRollback={
              canDeploy && row?.cells[environment.id]?.current
                ? () =>
                    rollback.openRollback({
                      stageId: row.cells[environment.id]!.stageId,
                      serviceSlug: service,
                      serviceName: row.service.name,
                      environmentName: environment.name,
                    })
                : undefined
            }
          />
        ))}
      </div>
      {rollback.dialogs}
    </section>
  );
}

interface EnvironmentHistoryProps {
  service: string;
  environment: Environment;
  onRollback?: (() => void) | undefined;
}

function EnvironmentHistory({ service, environment, onRollback }: EnvironmentHistoryProps) {
  const query = useInfiniteQuery(stageHistoryQueryOptions(service, environment.slug));
  const deployments = query.data?.pages.flatMap((page) => page.items) ?? [];
  const headingId = `history-${environment.slug}`;

  return (
    <section className="history-env" aria-labelledby={headingId}>
      <div className="history-env-head">
        <h3 id={headingId} className="history-env-title">
          {environment.name}
        </h3>
        {onRollback ? (
          <button type="button" className="button button-small" onClick={onRollback}>
            <Undo2 size={13} aria-hidden />
            Roll back {environment.name}…
          </button>
        ) : null}
      </div>
      <TableState
        query={query}
        errorTitle={`${environment.name} history could not be loaded`}
        isEmpty={deployments.length === 0}
        loadingLabel={`Loading ${environment.name} history…`}
        empty={
          <EmptyState
            icon={<History size={22} aria-hidden />}
            title={`Nothing deployed to ${environment.name} yet`}
          />
        }
      >
        <div className="table-wrap">
          <table className="table history-table" aria-label={`${environment.name} deployments`}>
            <thead>
              <tr>
                <th scope="col">Status</th>
                <th scope="col">Release</th>
                <th scope="col">Kind</th>
                <th scope="col">Requested by</th>
                <th scope="col">Reason</th>
                <th scope="col">Started</th>
                <th scope="col">Finished</th>
                <th scope="col">Duration</th>
              </tr>
            </thead>
            <tbody>
              {deployments.map((deployment) => {
                const duration = durationBetween(
                  deployment.startedAt ?? deployment.createdAt,
                  deployment.finishedAt,
                );
                return (
                  <tr key={deployment.id}>
                    <td>
                      <Link
                        to={deploymentPath(deployment.id)}
                        className="history-link"
                        aria-label={`Deployment of ${deployment.release.version} to ${environment.name}, ${deployment.status}`}
                      >
                        <DeploymentStatusPill status={deployment.status} />
                      </Link>
                    </td>
                    <td className="nowrap">
                      <span className="cell-strong mono">{deployment.release.version}</span>{' '}
                      <span className="muted small mono">{shortSha(deployment.release.commitSha)}</span>
                    </td>
                    <td className="nowrap">{DEPLOYMENT_KIND_LABEL[deployment.kind]}</td>
                    <td className="nowrap">{deployment.requestedBy}</td>
                    <td className="history-reason">
                      {deployment.reason || <span className="muted small">—</span>}
                      {deployment.error ? <p className="history-error">{deployment.error}</p> : null}
                    </td>
                    <td className="nowrap">
                      <RelativeTime iso={deployment.startedAt ?? deployment.createdAt} />
                    </td>
                    <td className="nowrap">
                      {deployment.finishedAt ? (
                        <RelativeTime iso={deployment.finishedAt} />
                      ) : (
                        <span className="muted small">In flight</span>
                      )}
                    </td>
                    <td className="nowrap tabular">{duration ?? <span className="muted small">—</span>}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {query.hasNextPage ? (
            <div className="load-more">
              <button
                type="button"
                className="button button-small"
                onClick={() => void query.fetchNextPage()}
                disabled={query.isFetchingNextPage}
              >
                {query.isFetchingNextPage ? 'Loading…' : `Load more ${environment.name} deployments`}
              </button>
            </div>
          ) : null}
        </div>
      </TableState>
    </section>
  );
}
