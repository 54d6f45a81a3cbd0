import {
  endpoints,
  GRANT_ACTIONS,
  type Environment,
  type EnvironmentGrant,
  type GrantAction,
} from '@flightdeck/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Info, LockOpen, Plus, ShieldCheck, User, Users, X } from 'lucide-react';
import { useState } from 'react';
import { Badge } from '../../components/ui/badge';
import { ConfirmDialog } from '../../components/ui/confirm-dialog';
import { EmptyState } from '../../components/ui/empty-state';
import { InlineNote } from '../../components/ui/field';
import { PageHeader } from '../../components/ui/page-header';
import { TableState } from '../../components/ui/table-state';
import { Skeleton } from '../../components/ui/skeleton';
import { api } from '../../config/api';
import { queryKeys } from '../../config/query-keys';
import { describeError } from '../../lib/errors';
import { ROLE_LABEL, lowestRoleWith } from '../auth/role-meta';
import {
  environmentsQueryOptions,
  grantsQueryOptions,
  teamsQueryOptions,
  userPickerQueryOptions,
} from './admin-queries';

const ACTION_META: Record<GrantAction, { title: string; verb: string; openText: string }> = {
  deploy: {
    title: 'Who may deploy',
    verb: 'deploy to',
    openText: `Open: anyone with the ${ROLE_LABEL[lowestRoleWith('deployments:write')]} role or above may deploy here.`,
  },
  approve: {
    title: 'Who may approve',
    verb: 'approve in',
    openText: `Open: anyone with the ${ROLE_LABEL[lowestRoleWith('approvals:decide')]} role or above may approve here.`,
  },
};

const TIER_ORDER = { production: 0, staging: 1, development: 2 } as const;

export function EnvironmentAccessView() {
  const query = useQuery(environmentsQueryOptions());
  // Production first: it is the one people come here to narrow.
  const environments = [...(query.data?.items ?? [])].sort(
    (a, b) => TIER_ORDER[a.tier] - TIER_ORDER[b.tier] || b.position - a.position,
  );
  return (
    <>
      <PageHeader
        title="Environment access"
        description="Decide who may deploy to and approve in each environment, e.g. only the release managers in production."
      />
      <InlineNote icon={<Info size={16} aria-hidden />}>
        Environments are open by default: roles decide.{' '}
        <strong>Once an environment has a deploy grant, only granted users and teams may deploy there</strong>
        ; the same holds for approve grants. Admins always can.
      </InlineNote>
      <TableState
        query={query}
        errorTitle="Environments could not be loaded"
        isEmpty={environments.length === 0}
        empty={
          <EmptyState title="No environments yet">
            <p>Environments are registered through the API; their access shows up here.</p>
          </EmptyState>
        }
      >
        <div className="card-list">
          {environments.map((environment) => (
            <EnvironmentCard key={environment.id} environment={environment} />
          ))}
        </div>
      </TableState>
    </>
  );
}

function EnvironmentCard({ environment }: { environment: Environment }) {
  const query = useQuery(grantsQueryOptions(environment.slug));
  const grants = query.data?.items ?? [];
  return (
    <section className="card" aria-labelledby={`env-${environment.id}`} data-tier={environment.tier}>
      <header className="card-header">
        <div>
          <h2 id={`env-${environment.id}`} className="card-title">
            {environment.tier === 'production' ? <ShieldCheck size={16} aria-hidden /> : null}
            {environment.name}
          </h2>
          <p className="muted small">
            <span className="mono">{environment.slug}</span> · {environment.tier} tier
          </p>
        </div>
      </header>
      {query.isPending ? (
        <div className="card-body">
          <Skeleton height="1rem" />
        </div>
      ) : !query.data ? (
        <div className="card-body">
          <p className="field-error">{describeError(query.error).message}</p>
        </div>
      ) : (
        <div className="grant-columns">
          {GRANT_ACTIONS.map((action) => (
            <GrantColumn
              key={action}
              environment={environment}
              action={action}
              grants={grants.filter((grant) => grant.action === action)}
            />
          ))}
        </div>
      )}
    </section>
  );
}

function grantLabel(grant: EnvironmentGrant): string {
  if (grant.team) return `Team ${grant.team.name}`;
  return grant.user?.name ?? 'Unknown';
}

function GrantColumn({
  environment,
  action,
  grants,
}: {
  environment: Environment;
  action: GrantAction;
  grants: EnvironmentGrant[];
}) {
  const queryClient = useQueryClient();
  const meta = ACTION_META[action];
  const [removing, setRemoving] = useState<EnvironmentGrant | null>(null);
  const invalidate = () =>
    queryClient.invalidateQueries({ queryKey: queryKeys.grants.environment(environment.slug) });

  const remove = useMutation({
    mutationFn: (id: string) => api.request(endpoints.deleteEnvironmentGrant, { params: { id } }),
    meta: { inlineError: true },
    onSuccess: () => {
      setRemoving(null);
      void invalidate();
    },
  });

  const lastOne = grants.length === 1;

  return (
    <div className="grant-column">
      <h3 className="grant-title">{meta.title}</h3>
      {grants.length === 0 ? (
        <p className="grant-open">
          <LockOpen size={14} aria-hidden />
          {meta.openText}
        </p>
      ) : (
        <>
          <p className="grant-narrowed">
            <ShieldCheck size={14} aria-hidden />
            Narrowed: only these (and admins) may {meta.verb} {environment.name}.
          </p>
          <ul className="grant-list">
            {grants.map((grant) => (
              <li key={grant.id} className="grant-item">
                {grant.team ? <Users size={14} aria-hidden /> : <User size={14} aria-hidden />}
                <span className="grant-name">{grantLabel(grant)}</span>
                {grant.user ? <span className="muted small truncate">{grant.user.email}</span> : null}
                {grant.team ? <Badge variant="outline">team</Badge> : null}
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Remove ${grantLabel(grant)} from who may ${meta.verb} ${environment.name}`}
                  onClick={() => {
                    remove.reset();
                    setRemoving(grant);
                  }}
                >
                  <X size={14} aria-hidden />
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      <AddGrantForm
        environment={environment}
        action={action}
        existing={grants}
        onAdded={() => void invalidate()}
      />
      <ConfirmDialog
        open={removing !== null}
        title={`Remove ${removing ? grantLabel(removing) : ''}?`}
        confirmLabel="Remove grant"
        tone="danger"
        busy={remove.isPending}
        error={remove.error ? describeError(remove.error).message : null}
        onClose={() => setRemoving(null)}
        onConfirm={() => removing && remove.mutate(removing.id)}
      >
        {lastOne ? (
          <p>
            This is the last {action} grant: <strong>{environment.name} opens up again</strong> to everyone
            whose role allows it.
          </p>
        ) : (
          <p>
            {removing ? grantLabel(removing) : ''} can no longer {meta.verb} {environment.name} unless another
            grant covers them.
          </p>
        )}
      </ConfirmDialog>
    </div>
  );
}

function AddGrantForm({
  environment,
  action,
  existing,
  onAdded,
}: {
  environment: Environment;
  action: GrantAction;
  existing: EnvironmentGrant[];
  onAdded: () => void;
}) {
  const users = useQuery(userPickerQueryOptions());
  const teams = useQuery(teamsQueryOptions());
  const [principal, setPrincipal] = useState('');
  const create = useMutation({
    mutationFn: (body: { action: GrantAction; userId?: string; teamSlug?: string }) =>
      api.request(endpoints.createEnvironmentGrant, { params: { slug: environment.slug }, body }),
    meta: { errorTitle: `Could not narrow ${environment.name}` },
    onSuccess: () => {
      setPrincipal('');
      onAdded();
    },
  });
  const grantedUsers = new Set(existing.map((grant) => grant.user?.id).filter(Boolean));
  const grantedTeams = new Set(existing.map((grant) => grant.team?.slug).filter(Boolean));
  const userOptions = (users.data?.items ?? []).filter(
    (user) => !user.disabled && !grantedUsers.has(user.id),
  );
  const teamOptions = (teams.data?.items ?? []).filter((team) => !grantedTeams.has(team.slug));

  return (
    <form
      className="add-row"
      aria-label={`Grant ${action} in ${environment.name}`}
      onSubmit={(event) => {
        event.preventDefault();
        const [kind, value] = principal.split(':', 2);
        if (!value) return;
        create.mutate(kind === 'team' ? { action, teamSlug: value } : { action, userId: value });
      }}
    >
      <select
        className="input select"
        aria-label={`User or team who may ${ACTION_META[action].verb} ${environment.name}`}
        value={principal}
        onChange={(event) => setPrincipal(event.target.value)}
      >
        <option value="">Add a user or team…</option>
        {teamOptions.length ? (
          <optgroup label="Teams">
            {teamOptions.map((team) => (
              <option key={team.id} value={`team:${team.slug}`}>
                {team.name}
              </option>
            ))}
          </optgroup>
        ) : null}
        {userOptions.length ? (
          <optgroup label="Users">
            {userOptions.map((user) => (
              <option key={user.id} value={`user:${user.id}`}>
                {user.name} ({user.email})
              </option>
            ))}
          </optgroup>
        ) : null}
      </select>
      <button type="submit" className="button" disabled={!principal || create.isPending}>
        <Plus size={14} aria-hidden />
        Grant
      </button>
    </form>
  );
}
