import {
  ApiError,
  putApprovalPolicyBodySchema,
  ROLES,
  type ApprovalPolicy,
  type Environment,
  type Role,
} from '@flightdeck/contracts';
import { useQuery } from '@tanstack/react-query';
import { ShieldCheck } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { Badge } from '../../components/ui/badge';
import { EmptyState } from '../../components/ui/empty-state';
import { FormDialog } from '../../components/ui/form-dialog';
import { PageHeader } from '../../components/ui/page-header';
import { Skeleton } from '../../components/ui/skeleton';
import { TableState } from '../../components/ui/table-state';
import { TextField } from '../../components/ui/text-field';
import { fieldErrorsFromApi, fieldErrorsFromZod, type FieldErrors } from '../../lib/form-errors';
import { formatTimestamp } from '../../lib/time';
import { describePolicy } from '../approvals/approval-meta';
import {
  environmentPolicyQueryOptions,
  useSaveEnvironmentPolicy,
  type PolicyBody,
} from '../approvals/approval-queries';
import '../approvals/approvals.css';
import { ROLE_LABEL } from '../auth/role-meta';
import { environmentsQueryOptions, teamsQueryOptions } from './admin-queries';

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
        <PolicyDialog environment={environment} policy={policy} onClose={() => setEditing(false)} />
      ) : null}
    </section>
  );
}

const FIELDS = [
  'requiredApprovals',
  'approvers.roles',
  'approvers.teams',
  'approvers.users',
  'distinctTeams',
  'expiryMinutes',
  'waitMinutes',
];

// "approvers.users.2" → "approvers.users": the form has one input per list.
function byInput(errors: FieldErrors): FieldErrors {
  const result: FieldErrors = {};
  for (const [field, message] of Object.entries(errors)) result[field.replace(/\.\d+$/, '')] ??= message;
  return result;
}

function splitList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((entry) => entry.trim())
    .filter(Boolean);
}

interface PolicyDialogProps {
  environment: Environment;
  policy: ApprovalPolicy;
  onClose: () => void;
}

function PolicyDialog({ environment, policy, onClose }: PolicyDialogProps) {
  const fresh = policy.source === 'none';
  const [required, setRequired] = useState(String(fresh ? 1 : policy.requiredApprovals));
  const [roles, setRoles] = useState<Role[]>(policy.approvers.roles);
  const [teams, setTeams] = useState<string[]>(policy.approvers.teams);
  const [users, setUsers] = useState(policy.approvers.users.join(', '));
  const [distinctTeams, setDistinctTeams] = useState(policy.distinctTeams);
  const [selfBanned, setSelfBanned] = useState(fresh ? true : policy.selfApprovalBanned);
  const [reasonToApprove, setReasonToApprove] = useState(policy.reasonRequiredToApprove);
  const [expiry, setExpiry] = useState(policy.expiryMinutes === null ? '' : String(policy.expiryMinutes));
  const [wait, setWait] = useState(String(policy.waitMinutes));
  const [approveRollbacks, setApproveRollbacks] = useState(policy.approveRollbacks);
  const [errors, setErrors] = useState<FieldErrors>({});
  const teamList = useQuery(teamsQueryOptions());
  const save = useSaveEnvironmentPolicy(environment.slug);

  const toggle = <T,>(list: T[], value: T, on: boolean) =>
    on ? [...list, value] : list.filter((entry) => entry !== value);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body: PolicyBody = {
      requiredApprovals: Number(required),
      approvers: { roles, teams, users: splitList(users) },
      distinctTeams,
      selfApprovalBanned: selfBanned,
      reasonRequiredToApprove: reasonToApprove,
      expiryMinutes: expiry.trim() === '' ? null : Number(expiry),
      waitMinutes: wait.trim() === '' ? 0 : Number(wait),
      approveRollbacks,
    };
    const parsed = putApprovalPolicyBodySchema.safeParse(body);
    if (!parsed.success) return setErrors(byInput(fieldErrorsFromZod(parsed.error)));
    setErrors({});
    save.mutate(parsed.data, {
      onSuccess: onClose,
      onError: (error) => setErrors(byInput(fieldErrorsFromApi(error))),
    });
  };

  const shownByField = Object.keys(errors).some((field) => FIELDS.includes(field));
  const unexpected =
    save.error && !(save.error instanceof ApiError && save.error.status === 400 && shownByField)
      ? save.error
      : null;

  return (
    <FormDialog
      open
      title={`${environment.name} approval policy`}
      onClose={onClose}
      formId="approval-policy-form"
      onSubmit={submit}
      submitLabel="Save policy"
      pendingLabel="Saving…"
      pending={save.isPending}
      error={unexpected}
      errorTitle="Not saved"
    >
      <p className="dialog-lead">
        Applies to every stage in {environment.name} without a policy of its own. 0 approvals turns approval
        off. The change is audited.
      </p>
      <div className="policy-grid">
        <TextField
          label="Required approvals"
          type="number"
          min={0}
          max={20}
          error={errors.requiredApprovals}
          value={required}
          onChange={(event) => setRequired(event.target.value)}
        />
        <TextField
          label="Approvals expire after (minutes)"
          type="number"
          min={1}
          hint="Blank: only a new release or commit voids them."
          error={errors.expiryMinutes}
          value={expiry}
          onChange={(event) => setExpiry(event.target.value)}
        />
        <TextField
          label="Wait timer (minutes)"
          type="number"
          min={0}
          hint="How long it waits after the last approval."
          error={errors.waitMinutes}
          value={wait}
          onChange={(event) => setWait(event.target.value)}
        />
      </div>
      <fieldset className="check-list" aria-describedby="approver-roles-hint">
        <legend className="field-label">Eligible roles</legend>
        {ROLES.filter((role) => role !== 'viewer').map((role) => (
          <label key={role} className="check-row">
            <input
              type="checkbox"
              checked={roles.includes(role)}
              onChange={(event) => setRoles(toggle(roles, role, event.target.checked))}
            />
            <span>{ROLE_LABEL[role]}</span>
          </label>
        ))}
        <p id="approver-roles-hint" className="field-hint">
          Roles, teams and people all empty: anyone who may approve there.
        </p>
        {errors['approvers.roles'] ? <p className="field-error">{errors['approvers.roles']}</p> : null}
      </fieldset>
      <fieldset className="check-list">
        <legend className="field-label">Eligible teams</legend>
        {(teamList.data?.items ?? []).map((team) => (
          <label key={team.id} className="check-row">
            <input
              type="checkbox"
              checked={teams.includes(team.slug)}
              onChange={(event) => setTeams(toggle(teams, team.slug, event.target.checked))}
            />
            <span>{team.name}</span>
          </label>
        ))}
        {teamList.data?.items.length === 0 ? <p className="muted small">No teams yet.</p> : null}
        {errors['approvers.teams'] ? <p className="field-error">{errors['approvers.teams']}</p> : null}
      </fieldset>
      <TextField
        label="Eligible people"
        hint="E-mail addresses, separated by commas."
        autoComplete="off"
        error={errors['approvers.users']}
        value={users}
        onChange={(event) => setUsers(event.target.value)}
      />
      <div className="check-list">
        <CheckRow
          label="Approvals from distinct teams"
          description="Each approval must come from a different team (needs 2 or more)."
          checked={distinctTeams}
          onChange={setDistinctTeams}
          error={errors.distinctTeams}
        />
        <CheckRow
          label="Ban self-approval"
          description="The requester and the release’s author cannot approve."
          checked={selfBanned}
          onChange={setSelfBanned}
        />
        <CheckRow
          label="Require a reason to approve"
          description="Rejecting always needs one."
          checked={reasonToApprove}
          onChange={setReasonToApprove}
        />
        <CheckRow
          label="Approve rollbacks too"
          description="Otherwise a rollback goes through at once, audited."
          checked={approveRollbacks}
          onChange={setApproveRollbacks}
        />
      </div>
    </FormDialog>
  );
}

interface CheckRowProps {
  label: string;
  description: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  error?: string | undefined;
}

function CheckRow({ label, description, checked, onChange, error }: CheckRowProps) {
  return (
    <label className="check-row">
      <input type="checkbox" checked={checked} onChange={(event) => onChange(event.target.checked)} />
      <span>
        <span className="check-title">{label}</span>
        <span className="check-description">{description}</span>
        {error ? <span className="field-error">{error}</span> : null}
      </span>
    </label>
  );
}
