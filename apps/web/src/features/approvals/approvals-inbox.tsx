import type { ApprovalRequest } from '@flightdeck/contracts';
import { useQuery } from '@tanstack/react-query';
import { Inbox } from 'lucide-react';
import { Link, useSearchParams } from 'react-router';
import { Badge } from '../../components/ui/badge';
import { EmptyState } from '../../components/ui/empty-state';
import { PageHeader } from '../../components/ui/page-header';
import { RelativeTime } from '../../components/ui/relative-time';
import { TableState } from '../../components/ui/table-state';
import { shortSha } from '../../lib/time';
import { deploymentPath } from '../service/service-paths';
import { DeploymentStatusPill } from '../status/deployment-status-pill';
import { ApprovalActions } from './approval-actions';
import { progressLabel } from './approval-meta';
import { approvalsQueryOptions, type ApprovalScope } from './approval-queries';
import './approvals.css';

const TABS: ReadonlyArray<{ scope: ApprovalScope; label: string; empty: string }> = [
  { scope: 'mine', label: 'Mine', empty: 'Nothing waits for your decision.' },
  { scope: 'pending', label: 'Pending', empty: 'No deployment waits for approval.' },
  { scope: 'all', label: 'All', empty: 'No deployment has needed approval lately.' },
];

function scopeOf(value: string | null): ApprovalScope {
  return value === 'pending' || value === 'all' ? value : 'mine';
}

// The tab lives in the URL (?scope=), so a link to "pending" opens on it.
export function ApprovalsInbox() {
  const [params, setParams] = useSearchParams();
  const scope = scopeOf(params.get('scope'));
  const tab = TABS.find((entry) => entry.scope === scope)!;
  const query = useQuery(approvalsQueryOptions(scope));
  const items = query.data?.items ?? [];
  return (
    <div className="page">
      <PageHeader
        title="Approvals"
        description="Deployments to protected stages wait here until enough approvers say yes; any rejection ends them."
      />
      <div className="tabs" role="tablist" aria-label="Which approvals">
        {TABS.map((entry) => (
          <button
            key={entry.scope}
            type="button"
            role="tab"
            className="tab"
            aria-selected={entry.scope === scope}
            aria-current={entry.scope === scope ? 'page' : undefined}
            onClick={() => setParams(entry.scope === 'mine' ? {} : { scope: entry.scope })}
          >
            {entry.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" aria-label={tab.label}>
        <TableState
          query={query}
          errorTitle="Approvals could not be loaded"
          isEmpty={items.length === 0}
          loadingLabel="Loading approvals…"
          empty={
            <EmptyState icon={<Inbox size={22} aria-hidden />} title="All clear">
              <p>{tab.empty}</p>
            </EmptyState>
          }
        >
          <div className="table-wrap">
            <table className="table" aria-label={`${tab.label} approvals`}>
              <thead>
                <tr>
                  <th scope="col">Service</th>
                  <th scope="col">Environment</th>
                  <th scope="col">Release</th>
                  <th scope="col">Requested by</th>
                  <th scope="col">Waiting</th>
                  <th scope="col">Approvals</th>
                  <th scope="col">Your decision</th>
                </tr>
              </thead>
              <tbody>
                {items.map((request) => (
                  <ApprovalRow key={request.deployment.id} request={request} />
                ))}
              </tbody>
            </table>
          </div>
        </TableState>
      </div>
    </div>
  );
}

function ApprovalRow({ request }: { request: ApprovalRequest }) {
  const { deployment } = request;
  const label = `${deployment.serviceSlug} ${deployment.release.version} to ${deployment.environmentSlug}`;
  const pending = deployment.status === 'pending';
  return (
    <tr>
      <th scope="row" className="cell-strong">
        <Link to={deploymentPath(deployment.id)}>{deployment.serviceSlug}</Link>
      </th>
      <td>{deployment.environmentSlug}</td>
      <td>
        <span className="mono">{deployment.release.version}</span>{' '}
        <span className="muted mono" title={deployment.release.commitSha}>
          {shortSha(deployment.release.commitSha)}
        </span>
      </td>
      <td>{deployment.requestedBy}</td>
      <td>
        <RelativeTime iso={deployment.createdAt} />
      </td>
      <td>
        <Badge tone={request.approved >= request.required ? 'success' : 'warning'} variant="outline">
          {progressLabel(request)}
        </Badge>
      </td>
      <td>
        {pending ? (
          <ApprovalActions request={request} label={label} />
        ) : (
          <DeploymentStatusPill status={deployment.status} />
        )}
      </td>
    </tr>
  );
}
