import type { ApprovalPolicy, Environment } from '@flightdeck/contracts';
import { useQuery } from '@tanstack/react-query';
import { ShieldCheck } from 'lucide-react';
import { useState } from 'react';
import { Badge } from '../../components/ui/badge';
import { EmptyState } from '../../components/ui/empty-state';
import { PageHeader } from '../../components/ui/page-header';
import { Skeleton } from '../../components/ui/skeleton';
import { TableState } from '../../components/ui/table-state';
import { formatTimestamp } from '../../lib/time';
import { environmentsQueryOptions } from '../admin/admin-queries';
import { describePolicy } from './approval-meta';
import { environmentPolicyQueryOptions, useSaveEnvironmentPolicy } from './approval-queries';
import './approvals.css';
import { PolicyDialog } from './policy-dialog';

const TIER_ORDER = { production: 0, staging: 1, development: 2 } as const;

export function ApprovalPoliciesView() {
  const query = useQuery(environmentsQueryOptions());
  // Production first: it is the one that usually needs approval.
  const environments = [...(query.data?.items ?? [])].sort(
    (a, b) => TIER_ORDER[a.tier] - TIER_ORDER[b.tier] || b.position - a.position,
  );
  return (
    <>
      <PageHeader
        title="Approval policies"
        description="How many approvals a deployment needs before it starts, and from whom. A stage can keep a policy of its own."
      />
      <TableState
        query={query}
        errorTitle="Environments could not be loaded"
        isEmpty={environments.length === 0}
        loadingLabel="Loading environments…"
        empty={
          <EmptyState icon={<ShieldCheck size={22} aria-hidden />} title="No environments">
            <p>Environments appear here once the catalog has some.</p>
          </EmptyState>
        }
      >
        {environments.map((environment) => (
          <EnvironmentPolicy key={environment.id} environment={environment} />
        ))}
      </TableState>
    </>
  );
}

function EnvironmentPolicy({ environment }: { environment: Environment }) {
  const query = useQuery(environmentPolicyQueryOptions(environment.slug));
  const [editing, setEditing] = useState(false);
  const policy = query.data;
  const active = policy && policy.source !== 'none' && policy.requiredApprovals > 0;
  return (
    <section className="panel approval-panel" aria-label={`${environment.name} approval policy`}>
      <div className="approval-panel-head">
        <h2 className="section-title">{environment.name}</h2>
        {policy ? (
          <Badge tone={active ? 'warning' : 'neutral'} variant="outline">
            {active ? 'Needs approval' : 'No approval'}
          </Badge>
        ) : null}
        <button
          type="button"
          className="button button-small"
          disabled={!policy}
          aria-label={`Edit the ${environment.name} policy`}
          onClick={() => setEditing(true)}
        >
          Edit policy
        </button>
      </div>
      {policy ? (
        <>
          <ul className="approval-policy">
            {describePolicy(policy).map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          {policy.updatedBy && policy.updatedAt ? (
            <p className="muted small">
              Changed by {policy.updatedBy} on {formatTimestamp(policy.updatedAt)}
            </p>
          ) : null}
        </>
      ) : query.error ? (
        <p className="muted">The policy could not be loaded.</p>
      ) : (
        <Skeleton />
      )}
      {editing && policy ? (
        <EnvironmentPolicyDialog
          environment={environment}
          policy={policy}
          onClose={() => setEditing(false)}
        />
      ) : null}
    </section>
  );
}

function EnvironmentPolicyDialog({
  environment,
  policy,
  onClose,
}: {
  environment: Environment;
  policy: ApprovalPolicy;
  onClose: () => void;
}) {
  const save = useSaveEnvironmentPolicy(environment.slug);
  return (
    <PolicyDialog
      title={`${environment.name} approval policy`}
      lead={`Applies to every stage in ${environment.name} without a policy of its own. 0 approvals turns approval off. The change is audited.`}
      policy={policy}
      save={save}
      onClose={onClose}
    />
  );
}
