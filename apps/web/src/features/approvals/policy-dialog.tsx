import {
  ApiError,
  putApprovalPolicyBodySchema,
  ROLES,
  type ApprovalPolicy,
  type Role,
} from '@flightdeck/contracts';
import { useQuery, type UseMutationResult } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { FormDialog } from '../../components/ui/form-dialog';
import { TextField } from '../../components/ui/text-field';
import { fieldErrorsFromApi, fieldErrorsFromZod, type FieldErrors } from '../../lib/form-errors';
import { teamsQueryOptions } from '../admin/admin-queries';
import { ROLE_LABEL } from '../auth/role-meta';
import type { PolicyBody } from './approval-queries';
import {
  PolicyWindowsEditor,
  rowsFromPolicy,
  windowsFromRows,
  type WindowRow,
} from './policy-windows-editor';
import './approvals.css';

const FIELDS = [
  'requiredApprovals',
  'approvers.roles',
  'approvers.teams',
  'approvers.users',
  'distinctTeams',
  'expiryMinutes',
  'waitMinutes',
];

// "approvers.users.2" → "approvers.users": the form has one input per list (windows have one per field).
function byInput(errors: FieldErrors): FieldErrors {
  const result: FieldErrors = {};
  for (const [field, message] of Object.entries(errors)) {
    result[field.startsWith('windows.') ? field : field.replace(/\.\d+$/, '')] ??= message;
  }
  return result;
}

function splitList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((entry) => entry.trim())
    .filter(Boolean);
}

interface PolicyDialogProps {
  title: string;
  // What the policy applies to and what saving it does, in a sentence or two.
  lead: string;
  policy: ApprovalPolicy;
  save: UseMutationResult<ApprovalPolicy, Error, PolicyBody>;
  onClose: () => void;
}

// The approval policy form, for an environment or one stage's own (the caller picks the mutation).
export function PolicyDialog({ title, lead, policy, save, onClose }: PolicyDialogProps) {
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
  const [windows, setWindows] = useState<WindowRow[]>(() => rowsFromPolicy(policy.windows));
  const [errors, setErrors] = useState<FieldErrors>({});
  const teamList = useQuery(teamsQueryOptions());

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
      windows: windowsFromRows(windows),
    };
    const parsed = putApprovalPolicyBodySchema.safeParse(body);
    if (!parsed.success) return setErrors(byInput(fieldErrorsFromZod(parsed.error)));
    setErrors({});
    save.mutate(parsed.data, {
      onSuccess: onClose,
      onError: (error) => setErrors(byInput(fieldErrorsFromApi(error))),
    });
  };

  const shownByField = Object.keys(errors).some(
    (field) => FIELDS.includes(field) || field.startsWith('windows'),
  );
  const unexpected =
    save.error && !(save.error instanceof ApiError && save.error.status === 400 && shownByField)
      ? save.error
      : null;

  return (
    <FormDialog
      open
      title={title}
      onClose={onClose}
      formId="approval-policy-form"
      onSubmit={submit}
      submitLabel="Save policy"
      pendingLabel="Saving…"
      pending={save.isPending}
      error={unexpected}
      errorTitle="Not saved"
    >
      <p className="dialog-lead">{lead}</p>
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
      <PolicyWindowsEditor rows={windows} onChange={setWindows} errors={errors} />
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
