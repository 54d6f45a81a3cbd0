import type { BoardRow, Environment, ReleaseSource } from '@flightdeck/contracts';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Package } from 'lucide-react';
import { Badge } from '../../components/ui/badge';
import { EmptyState } from '../../components/ui/empty-state';
import { RelativeTime } from '../../components/ui/relative-time';
import { TableState } from '../../components/ui/table-state';
import { shortSha } from '../../lib/time';
import { useCan } from '../auth/use-auth';
import { QuarantineActions, QuarantineBadge } from '../quarantine/quarantine-controls';
import { serviceReleasesQueryOptions } from './service-queries';

const SOURCE_LABEL: Record<ReleaseSource, string> = {
  webhook: 'Webhook',
  poll: 'Poll',
  api: 'API',
  cli: 'CLI',
  seed: 'Seed',
};

interface ReleasesTableProps {
  slug: string;
  row: BoardRow | null;
  environments: Environment[];
}

export function ReleasesTable({ slug, row, environments }: ReleasesTableProps) {
  const query = useInfiniteQuery(serviceReleasesQueryOptions(slug));
  const releases = query.data?.pages.flatMap((page) => page.items) ?? [];
  const canDeploy = useCan('deployments:write');
  // Release id → environments where it is the current release, in promotion order.
  const runningIn = (releaseId: string) =>
    environments.filter((environment) => row?.cells[environment.id]?.current?.id === releaseId);

  return (
    <section className="service-section" aria-labelledby="releases-heading">
      <h2 id="releases-heading" className="section-title">
        Releases
      </h2>
      <TableState
        query={query}
        errorTitle="Releases could not be loaded"
        isEmpty={releases.length === 0}
        loadingLabel="Loading releases…"
        empty={
          <EmptyState icon={<Package size={22} aria-hidden />} title="No releases yet">
            <p>Releases appear here when CI registers a build or a webhook reports a tag.</p>
          </EmptyState>
        }
      >
        <div className="table-wrap">
          <table className="table releases-table" aria-label="Releases">
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Commit</th>
                <th scope="col">Running in</th>
                <th scope="col">Notes</th>
                <th scope="col">Source</th>
                <th scope="col">Created</th>
                {canDeploy ? (
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {releases.map((release) => {
                const where = runningIn(release.id);
                return (
                  <tr key={release.id}>
                    <th scope="row" className="cell-strong mono nowrap">
                      <span className="release-version-cell">
                        {release.version}
                        {release.quarantine ? <QuarantineBadge quarantine={release.quarantine} /> : null}
                      </span>
                    </th>
                    <td className="mono nowrap" title={release.commitSha}>
                      {shortSha(release.commitSha)}
                    </td>
                    <td>
                      {where.length > 0 ? (
                        <span className="badge-row">
                          {where.map((environment) => (
                            <Badge
                              key={environment.id}
                              tone={environment.tier === 'production' ? 'accent' : 'success'}
                              title={`Current release in ${environment.name}`}
                            >
                              {environment.name}
                            </Badge>
                          ))}
                        </span>
                      ) : (
                        <span className="muted small">—</span>
                      )}
                    </td>
                    <td className="release-notes">
                      {release.notes ? (
                        <span title={release.notes}>{release.notes}</span>
                      ) : (
                        <span className="muted small">No notes</span>
                      )}
                    </td>
                    <td className="nowrap">{SOURCE_LABEL[release.source]}</td>
                    <td className="nowrap">
                      <RelativeTime iso={release.createdAt} />
                    </td>
                    {canDeploy ? (
                      <td className="nowrap">
                        <QuarantineActions release={release} serviceSlug={slug} />
                      </td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
          <div className="load-more">
            {query.hasNextPage ? (
              <button
                type="button"
                className="button"
                onClick={() => void query.fetchNextPage()}
                disabled={query.isFetchingNextPage}
              >
                {query.isFetchingNextPage ? 'Loading…' : 'Load more releases'}
              </button>
            ) : (
              <p className="muted small">
                {releases.length} {releases.length === 1 ? 'release' : 'releases'} · the oldest is listed last
              </p>
            )}
          </div>
        </div>
      </TableState>
    </section>
  );
}
