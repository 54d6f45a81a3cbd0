import { ApiError, createTeamBodySchema, endpoints, type Role, type Team } from '@flightdeck/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Boxes, Plus, UserMinus, UsersRound } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { Badge } from '../../components/ui/badge';
import { ConfirmDialog } from '../../components/ui/confirm-dialog';
import { EmptyState } from '../../components/ui/empty-state';
import { FormDialog } from '../../components/ui/form-dialog';
import { PageHeader } from '../../components/ui/page-header';
import { TableState } from '../../components/ui/table-state';
import { TextField } from '../../components/ui/text-field';
import { api } from '../../config/api';
import { paths } from '../../config/paths';
import { queryKeys } from '../../config/query-keys';
import { describeError } from '../../lib/errors';
import { fieldErrorsFromApi, fieldErrorsFromZod, type FieldErrors } from '../../lib/form-errors';
import { ROLE_LABEL } from '../auth/role-meta';
import { teamsQueryOptions, userPickerQueryOptions } from './admin-queries';
import { RoleSelect } from './role-select';

function slugify(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
}

export function TeamsView() {
  const query = useQuery(teamsQueryOptions());
  const teams = query.data?.items ?? [];
  const [creating, setCreating] = useState(false);
  return (
    <>
      <PageHeader
        title="Teams"
        description="Teams own services. A member's team role applies to that team's services, on top of their global role."
        actions={
          <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
            <Plus size={15} aria-hidden />
            Create team
          </button>
        }
      />
      <CreateTeamDialog open={creating} onClose={() => setCreating(false)} />
      <TableState
        query={query}
        errorTitle="Teams could not be loaded"
        isEmpty={teams.length === 0}
        empty={
          <EmptyState icon={<UsersRound size={22} aria-hidden />} title="No teams yet">
            <p>Create a team, then add people and assign services to it.</p>
          </EmptyState>
        }
      >
        <div className="card-list">
          {teams.map((team) => (
            <TeamCard key={team.id} team={team} />
          ))}
        </div>
      </TableState>
    </>
  );
}

function CreateTeamDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const [slugTouched, setSlugTouched] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const create = useMutation({
    mutationFn: (body: { slug: string; name: string }) => api.request(endpoints.createTeam, { body }),
    meta: { inlineError: true },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.teams.all() });
      close();
    },
    onError: (error) => {
      if (error instanceof ApiError && error.status === 409) setErrors({ slug: error.message });
      else setErrors(fieldErrorsFromApi(error));
    },
  });
  const effectiveSlug = slugTouched ? slug : slugify(name);

  function close() {
    setName('');
    setSlug('');
    setSlugTouched(false);
    setErrors({});
    create.reset();
    onClose();
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body = { name, slug: effectiveSlug };
    const parsed = createTeamBodySchema.safeParse(body);
    const found = parsed.success ? {} : fieldErrorsFromZod(parsed.error);
    setErrors(found);
    if (parsed.success) create.mutate(body);
  };

  const unexpected =
    create.error && !(create.error instanceof ApiError && [400, 409].includes(create.error.status))
      ? create.error
      : null;

  return (
    <FormDialog
      open={open}
      title="Create a team"
      onClose={close}
      formId="create-team-form"
      onSubmit={submit}
      submitLabel="Create team"
      pendingLabel="Creating…"
      pending={create.isPending}
      error={unexpected}
      errorTitle="Not created"
    >
      <TextField
        label="Team name"
        error={errors.name}
        value={name}
        autoComplete="off"
        onChange={(event) => setName(event.target.value)}
      />
      <TextField
        label="Slug"
        error={errors.slug}
        hint="Lowercase letters, digits and dashes. Services name their owning team by this slug."
        inputClassName="mono"
        value={effectiveSlug}
        autoComplete="off"
        spellCheck={false}
        onChange={(event) => {
          setSlugTouched(true);
          setSlug(event.target.value);
        }}
      />
    </FormDialog>
  );
}

function TeamCard({ team }: { team: Team }) {
  const queryClient = useQueryClient();
  const [removing, setRemoving] = useState<Team['members'][number] | null>(null);
  const invalidate = () => {
    void queryClient.invalidateQueries({ queryKey: queryKeys.teams.all() });
    void queryClient.invalidateQueries({ queryKey: queryKeys.users.all() });
  };
  const setMember = useMutation({
    mutationFn: ({ userId, role }: { userId: string; role: Role }) =>
      api.request(endpoints.setTeamMember, { params: { slug: team.slug, userId }, body: { role } }),
    meta: { errorTitle: `Could not change ${team.name}'s members` },
    onSuccess: invalidate,
  });
  const remove = useMutation({
    mutationFn: (userId: string) =>
      api.request(endpoints.removeTeamMember, { params: { slug: team.slug, userId } }),
    meta: { inlineError: true },
    onSuccess: () => {
      setRemoving(null);
      invalidate();
    },
  });

  return (
    <section className="card" aria-labelledby={`team-${team.id}`}>
      <header className="card-header">
        <div>
          <h2 id={`team-${team.id}`} className="card-title">
            {team.name}
          </h2>
          <p className="muted small mono">{team.slug}</p>
        </div>
        <div className="card-meta">
          <Boxes size={14} aria-hidden />
          {team.serviceSlugs.length === 0 ? (
            <span className="muted small">Owns no services yet</span>
          ) : (
            <span className="badge-row" aria-label="Services this team owns">
              {team.serviceSlugs.map((slug) => (
                <Badge key={slug} variant="outline">
                  {slug}
                </Badge>
              ))}
              <Link className="small" to={`${paths.board}?team=${encodeURIComponent(team.slug)}`}>
                Show on the board
              </Link>
            </span>
          )}
        </div>
      </header>
      {team.members.length === 0 ? (
        <p className="muted card-empty">No members yet.</p>
      ) : (
        <table className="table table-flush" aria-label={`Members of ${team.name}`}>
          <thead>
            <tr>
              <th scope="col">Member</th>
              <th scope="col">Team role</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {team.members.map((member) => (
              <tr key={member.userId}>
                <th scope="row">
                  <span className="cell-stack">
                    <span className="cell-strong">{member.name}</span>
                    <span className="muted small">{member.email}</span>
                  </span>
                </th>
                <td>
                  <RoleSelect
                    value={member.role}
                    label={`${member.name}'s role in ${team.name}`}
                    disabled={setMember.isPending}
                    onChange={(role) => setMember.mutate({ userId: member.userId, role })}
                  />
                </td>
                <td className="cell-actions">
                  <button
                    type="button"
                    className="button button-small button-danger-ghost"
                    aria-label={`Remove ${member.name} from ${team.name}`}
                    onClick={() => {
                      remove.reset();
                      setRemoving(member);
                    }}
                  >
                    <UserMinus size={14} aria-hidden />
                    Remove
                    <span className="sr-only">
                      {' '}
                      {member.name} from {team.name}
                    </span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <AddMemberForm
        team={team}
        onAdd={(userId, role) => setMember.mutate({ userId, role })}
        busy={setMember.isPending}
      />
      <ConfirmDialog
        open={removing !== null}
        title={`Remove ${removing?.name ?? ''} from ${team.name}?`}
        confirmLabel="Remove"
        tone="danger"
        busy={remove.isPending}
        error={remove.error ? describeError(remove.error).message : null}
        onClose={() => setRemoving(null)}
        onConfirm={() => removing && remove.mutate(removing.userId)}
      >
        <p>
          They keep their global role ({removing ? ROLE_LABEL[removing.role] : ''} here), but lose what this
          team gives them on its services and any environment access granted to the team.
        </p>
      </ConfirmDialog>
    </section>
  );
}

function AddMemberForm({
  team,
  onAdd,
  busy,
}: {
  team: Team;
  onAdd: (userId: string, role: Role) => void;
  busy: boolean;
}) {
  const users = useQuery(userPickerQueryOptions());
  const [userId, setUserId] = useState('');
  const [role, setRole] = useState<Role>('deployer');
  const memberIds = new Set(team.members.map((member) => member.userId));
  const candidates = (users.data?.items ?? []).filter((user) => !memberIds.has(user.id) && !user.disabled);

  return (
    <form
      className="add-row"
      aria-label={`Add a member to ${team.name}`}
      onSubmit={(event) => {
        event.preventDefault();
        if (!userId) return;
        onAdd(userId, role);
        setUserId('');
      }}
    >
      <select
        className="input select"
        aria-label="User to add"
        value={userId}
        onChange={(event) => setUserId(event.target.value)}
        disabled={users.isPending}
      >
        <option value="">
          {users.isPending
            ? 'Loading users…'
            : candidates.length
              ? 'Pick a user…'
              : 'Everyone is already a member'}
        </option>
        {candidates.map((user) => (
          <option key={user.id} value={user.id}>
            {user.name} ({user.email})
          </option>
        ))}
      </select>
      <RoleSelect value={role} onChange={setRole} label="Role in the team" />
      <button type="submit" className="button" disabled={!userId || busy}>
        <Plus size={14} aria-hidden />
        Add member
      </button>
    </form>
  );
}
