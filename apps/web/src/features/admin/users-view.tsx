import { endpoints, type Role, type User } from '@flightdeck/contracts';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { Ban, CircleCheck, Plus, Search, UserX } from 'lucide-react';
import { useState } from 'react';
import { Badge } from '../../components/ui/badge';
import { ConfirmDialog } from '../../components/ui/confirm-dialog';
import { EmptyState } from '../../components/ui/empty-state';
import { PageHeader } from '../../components/ui/page-header';
import { TableState } from '../../components/ui/table-state';
import { RelativeTime } from '../../components/ui/relative-time';
import { StatusPill } from '../../components/ui/status-pill';
import { Tooltip } from '../../components/ui/tooltip';
import { api } from '../../config/api';
import { queryKeys } from '../../config/query-keys';
import { describeError } from '../../lib/errors';
import { useDebouncedValue } from '../../lib/use-debounced-value';
import { ROLE_LABEL } from '../auth/role-meta';
import { useMe } from '../auth/use-auth';
import { usersQueryOptions } from './admin-queries';
import { CreateUserDialog } from './create-user-dialog';
import { RoleSelect } from './role-select';

type Pending =
  { kind: 'role'; user: User; role: Role } | { kind: 'disable'; user: User } | { kind: 'enable'; user: User };

const SELF_REASON =
  'This is you. Another admin must change your own role or disable you, so nobody locks themselves out.';

export function UsersView() {
  const me = useMe();
  const queryClient = useQueryClient();
  const [search, setSearch] = useState('');
  const q = useDebouncedValue(search.trim());
  const query = useInfiniteQuery(usersQueryOptions(q));
  const [creating, setCreating] = useState(false);
  const [pending, setPending] = useState<Pending | null>(null);

  const update = useMutation({
    mutationFn: ({ id, body }: { id: string; body: { role?: Role; disabled?: boolean } }) =>
      api.request(endpoints.updateUser, { params: { id }, body }),
    meta: { inlineError: true },
    onSuccess: () => {
      setPending(null);
      void queryClient.invalidateQueries({ queryKey: queryKeys.users.all() });
      void queryClient.invalidateQueries({ queryKey: queryKeys.teams.all() });
    },
  });

  const users = query.data?.pages.flatMap((page) => page.items) ?? [];

  const confirm = () => {
    if (!pending) return;
    const body = pending.kind === 'role' ? { role: pending.role } : { disabled: pending.kind === 'disable' };
    update.mutate({ id: pending.user.id, body });
  };

  return (
    <>
      <PageHeader
        title="Users"
        description="Global roles apply everywhere; team roles and environment access can narrow or widen them per team."
        actions={
          <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
            <Plus size={15} aria-hidden />
            Create user
          </button>
        }
      >
        <div className="toolbar" role="search">
          <div className="search-field">
            <Search size={14} aria-hidden className="search-icon" />
            <input
              type="search"
              className="input"
              placeholder="Search by name or e-mail…"
              aria-label="Search users by name or e-mail"
              value={search}
              onChange={(event) => setSearch(event.target.value)}
            />
          </div>
        </div>
      </PageHeader>
      <TableState
        query={query}
        errorTitle="Users could not be loaded"
        isEmpty={users.length === 0}
        skeletonRows={3}
        empty={
          <EmptyState icon={<UserX size={22} aria-hidden />} title={q ? 'No user matches' : 'No users'}>
            {q ? <p>Nobody's name or e-mail contains “{q}”.</p> : null}
          </EmptyState>
        }
      >
        <div className="table-wrap">
          <table className="table" aria-label="Users">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Teams</th>
                <th scope="col">Sign-in</th>
                <th scope="col">Last sign-in</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.map((user) => {
                const self = user.id === me.id;
                return (
                  <tr key={user.id} data-disabled={user.disabled || undefined}>
                    <th scope="row">
                      <span className="cell-stack">
                        <span className="cell-strong">
                          {user.name}
                          {self ? <span className="muted"> (you)</span> : null}
                        </span>
                        <span className="muted small">{user.email}</span>
                      </span>
                    </th>
                    <td>
                      {self ? (
                        <Tooltip content={SELF_REASON}>
                          <RoleSelect
                            value={user.role}
                            onChange={() => undefined}
                            disabled
                            label={`Role of ${user.name}`}
                          />
                        </Tooltip>
                      ) : (
                        <RoleSelect
                          value={user.role}
                          label={`Role of ${user.name}`}
                          onChange={(role) => {
                            update.reset();
                            setPending({ kind: 'role', user, role });
                          }}
                        />
                      )}
                    </td>
                    <td>
                      <span className="badge-row">
                        {user.memberships.length === 0 ? <span className="muted">None</span> : null}
                        {user.memberships.map((membership) => (
                          <Badge
                            key={membership.team.id}
                            variant="outline"
                            title={`${ROLE_LABEL[membership.role]} in ${membership.team.name}`}
                          >
                            {membership.team.name} · {ROLE_LABEL[membership.role]}
                          </Badge>
                        ))}
                      </span>
                    </td>
                    <td className="muted small">
                      {[user.hasPassword ? 'Password' : null, user.sso ? 'SSO' : null]
                        .filter(Boolean)
                        .join(' + ') || 'None yet'}
                    </td>
                    <td>
                      {user.lastLoginAt ? (
                        <RelativeTime iso={user.lastLoginAt} />
                      ) : (
                        <span className="muted">Never</span>
                      )}
                    </td>
                    <td>
                      {user.disabled ? (
                        <StatusPill tone="danger" Icon={Ban} label="Disabled" />
                      ) : (
                        <StatusPill tone="success" Icon={CircleCheck} label="Active" quiet />
                      )}
                    </td>
                    <td className="cell-actions">
                      {self ? (
                        <Tooltip content={SELF_REASON}>
                          <button type="button" className="button button-small" disabled>
                            Disable
                          </button>
                        </Tooltip>
                      ) : (
                        <button
                          type="button"
                          className={
                            user.disabled ? 'button button-small' : 'button button-small button-danger-ghost'
                          }
                          aria-label={`${user.disabled ? 'Enable' : 'Disable'} ${user.name}`}
                          onClick={() => {
                            update.reset();
                            setPending({ kind: user.disabled ? 'enable' : 'disable', user });
                          }}
                        >
                          {user.disabled ? 'Enable' : 'Disable'}
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {query.hasNextPage ? (
            <div className="load-more">
              <button
                type="button"
                className="button"
                onClick={() => void query.fetchNextPage()}
                disabled={query.isFetchingNextPage}
              >
                {query.isFetchingNextPage ? 'Loading…' : 'Load more users'}
              </button>
            </div>
          ) : null}
        </div>
      </TableState>
      <CreateUserDialog open={creating} onClose={() => setCreating(false)} />
      <ConfirmDialog
        open={pending !== null}
        title={confirmTitle(pending)}
        confirmLabel={
          pending?.kind === 'disable'
            ? 'Disable user'
            : pending?.kind === 'enable'
              ? 'Enable user'
              : 'Change role'
        }
        tone={pending?.kind === 'disable' ? 'danger' : undefined}
        busy={update.isPending}
        error={update.error ? describeError(update.error).message : null}
        onClose={() => setPending(null)}
        onConfirm={confirm}
      >
        {pending ? <ConfirmText pending={pending} /> : null}
      </ConfirmDialog>
    </>
  );
}

function confirmTitle(pending: Pending | null): string {
  if (!pending) return '';
  if (pending.kind === 'role') return `Change ${pending.user.name}'s role?`;
  return `${pending.kind === 'disable' ? 'Disable' : 'Enable'} ${pending.user.name}?`;
}

function ConfirmText({ pending }: { pending: Pending }) {
  if (pending.kind === 'role') {
    return (
      <p>
        From <strong>{ROLE_LABEL[pending.user.role]}</strong> to <strong>{ROLE_LABEL[pending.role]}</strong>.
        It applies to their next request. Their team roles stay as they are.
      </p>
    );
  }
  if (pending.kind === 'disable') {
    return (
      <p>
        {pending.user.name} is <strong>signed out everywhere at once</strong> and cannot sign in or use the
        API until an admin enables them again. Their history stays in the audit log.
      </p>
    );
  }
  return <p>{pending.user.name} can sign in again with their existing password or single sign-on.</p>;
}
