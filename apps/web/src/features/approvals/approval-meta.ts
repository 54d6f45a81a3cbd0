import type { ApprovalPolicy, ApprovalRequest } from '@flightdeck/contracts';
import { ROLE_LABEL } from '../auth/role-meta';

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

// "1 of 2 approvals".
export function progressLabel(request: Pick<ApprovalRequest, 'approved' | 'required'>): string {
  return `${request.approved} of ${plural(request.required, 'approval')}`;
}

export function formatMinutes(minutes: number): string {
  if (minutes % 1440 === 0) return plural(minutes / 1440, 'day');
  if (minutes % 60 === 0) return plural(minutes / 60, 'hour');
  return plural(minutes, 'minute');
}

export function describeApprovers(policy: Pick<ApprovalPolicy, 'approvers'>): string {
  const { roles, teams, users } = policy.approvers;
  const parts = [
    ...roles.map((role) => `${ROLE_LABEL[role].toLowerCase()}s`),
    ...teams.map((team) => `the ${team} team`),
    ...users,
  ];
  if (parts.length === 0) return 'anyone who may approve there';
  if (parts.length === 1) return parts[0]!;
  return `${parts.slice(0, -1).join(', ')} or ${parts.at(-1)!}`;
}

// The policy in plain sentences, in the order an approver needs them.
export function describePolicy(policy: ApprovalPolicy): string[] {
  if (policy.source === 'none' || policy.requiredApprovals === 0) {
    return ['No approval is needed here.', ...describeWindows(policy)];
  }
  const lines = [
    `Needs ${plural(policy.requiredApprovals, 'approval')} from ${describeApprovers(policy)}${
      policy.distinctTeams ? ', each from a different team' : ''
    }.`,
  ];
  if (policy.selfApprovalBanned) {
    lines.push('The requester and the release’s author cannot approve it.');
  }
  lines.push(
    policy.reasonRequiredToApprove
      ? 'A comment is required to approve and to reject.'
      : 'A comment is required to reject.',
  );
  lines.push(
    policy.expiryMinutes === null
      ? 'Approvals hold until the release or commit changes.'
      : `An approval expires after ${formatMinutes(policy.expiryMinutes)}, or when the release or commit changes.`,
  );
  if (policy.waitMinutes > 0) {
    lines.push(`Once approved, it waits ${formatMinutes(policy.waitMinutes)} before it starts.`);
  }
  if (policy.approveRollbacks) lines.push('Rollbacks need approval too.');
  return [...lines, ...describeWindows(policy)];
}

// "Deployments start only Mon–Thu 09:00–16:00 Europe/Berlin." / "No deployments during …".
export function describeWindows(policy: Pick<ApprovalPolicy, 'windows'>): string[] {
  const allow = policy.windows.filter((window) => window.kind === 'allow').map((window) => window.summary);
  const deny = policy.windows.filter((window) => window.kind === 'deny').map((window) => window.summary);
  const lines: string[] = [];
  if (allow.length) lines.push(`Deployments start only ${allow.join(' or ')}.`);
  if (deny.length) lines.push(`No deployments during ${deny.join(' or ')}.`);
  if (lines.length) lines.push('Rollbacks ignore these windows.');
  return lines;
}
