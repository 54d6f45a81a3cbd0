import type { Gate, Role } from '@flightdeck/contracts';

// The approval policy as the rules need it (a stage's own, or its environment's).
export interface PolicyRules {
  readonly requiredApprovals: number;
  readonly approvers: {
    readonly roles: readonly Role[];
    readonly teams: readonly string[];
    readonly users: readonly string[];
  };
  readonly distinctTeams: boolean;
  readonly selfApprovalBanned: boolean;
  readonly reasonRequiredToApprove: boolean;
  readonly expiryMinutes: number | null;
  readonly waitMinutes: number;
  readonly approveRollbacks: boolean;
}

export interface DecisionFact {
  readonly decision: 'approve' | 'reject';
  readonly email: string;
  readonly teamId: string | null;
  readonly teamSlug: string | null;
  readonly releaseId: string;
  readonly commitSha: string;
  readonly createdAt: Date;
}

// A deployment under a policy: who asked, when, for which release and commit, and the decisions so far.
export interface RequestFacts {
  readonly requestedBy: string;
  readonly requestedAt: Date;
  readonly releaseId: string;
  readonly commitSha: string;
  readonly releaseAuthor: string | null;
  readonly decisions: readonly DecisionFact[];
}

export interface ApprovalFacts {
  readonly policy: PolicyRules;
  // Null before the deployment exists (a preview, a request being made).
  readonly request: RequestFacts | null;
}

export function needsApproval(policy: PolicyRules | null): boolean {
  return !!policy && policy.requiredApprovals > 0;
}

export function approvalExpiresAt(policy: PolicyRules, createdAt: Date): Date | null {
  return policy.expiryMinutes === null ? null : new Date(createdAt.getTime() + policy.expiryMinutes * 60_000);
}

// Counts: an approval, for exactly this release and commit, not expired under the policy in force.
export function isValidApproval(
  policy: PolicyRules,
  decision: DecisionFact,
  request: Pick<RequestFacts, 'releaseId' | 'commitSha'>,
  now: Date,
): boolean {
  const expiresAt = approvalExpiresAt(policy, decision.createdAt);
  return (
    decision.decision === 'approve' &&
    decision.releaseId === request.releaseId &&
    decision.commitSha === request.commitSha &&
    (!expiresAt || expiresAt > now)
  );
}

export function countedApprovals(policy: PolicyRules, request: RequestFacts, now: Date) {
  const valid = request.decisions.filter((decision) => isValidApproval(policy, decision, request, now));
  // From distinct teams, each team counts once and approvers outside any team do not count.
  const count = policy.distinctTeams
    ? new Set(valid.map((decision) => decision.teamId).filter((team) => team !== null)).size
    : valid.length;
  return { valid, count };
}

function oneOf(parts: readonly string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} or ${parts.at(-1)}`;
}

export function describeApprovers(policy: PolicyRules): string {
  const { roles, teams, users } = policy.approvers;
  const parts = [
    ...roles.map((role) => (role === 'admin' ? 'an admin' : `an ${role}`.replace(/^an ([^aeiou])/, 'a $1'))),
    ...teams.map((team) => `team ${team}`),
    ...users,
  ];
  return parts.length ? oneOf(parts) : 'anyone who may approve there';
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

// Who may not approve, impersonal ("the requester") or for one reader ("you").
function banClause(request: RequestFacts, viewer: string | null): string {
  if (viewer && viewer === request.requestedBy) return 'you cannot approve your own deployment';
  if (viewer && viewer === request.releaseAuthor) return 'you cannot approve a release you wrote';
  return request.releaseAuthor && request.releaseAuthor !== request.requestedBy
    ? "the requester and the release's author cannot approve"
    : 'the requester cannot approve';
}

// The approvals gate. `viewer` tailors the sentence for one person's read (the inbox).
export function approvalsGate(facts: ApprovalFacts, now: Date, viewer: string | null = null): Gate | null {
  const { policy, request } = facts;
  if (!needsApproval(policy)) return null;
  const needed = policy.requiredApprovals;
  const teams = policy.distinctTeams ? ' from distinct teams' : '';
  if (!request) {
    return {
      kind: 'approvals',
      state: 'waiting',
      message: `Needs ${plural(needed, 'approval')}${teams} from ${describeApprovers(policy)}`,
      until: null,
    };
  }
  const { valid, count } = countedApprovals(policy, request, now);
  const who = valid.length
    ? ` (${valid.map((d) => (policy.distinctTeams && d.teamSlug ? `${d.email} for ${d.teamSlug}` : d.email)).join(', ')})`
    : '';
  if (count >= needed) {
    return {
      kind: 'approvals',
      state: 'pass',
      message: `${count} of ${needed} approvals${teams}${who}`,
      until: null,
    };
  }
  const ban = policy.selfApprovalBanned ? `; ${banClause(request, viewer)}` : '';
  return {
    kind: 'approvals',
    state: 'waiting',
    message: `${count} of ${needed} approvals${teams}${who}${ban}`,
    until: null,
  };
}

function minutes(count: number): string {
  return plural(count, 'minute');
}

// The wait timer: a request may start only so long after it was made. Shown as a `soak` gate: the
// request soaks before it may start.
export function waitGate(facts: ApprovalFacts | null, now: Date): Gate | null {
  if (!facts || facts.policy.waitMinutes <= 0) return null;
  const wait = facts.policy.waitMinutes;
  if (!facts.request) {
    return {
      kind: 'soak',
      state: 'waiting',
      message: `Waits ${minutes(wait)} after the request before it may start`,
      until: null,
    };
  }
  const at = new Date(facts.request.requestedAt.getTime() + wait * 60_000);
  if (at <= now)
    return { kind: 'soak', state: 'pass', message: `Waited ${minutes(wait)} since the request`, until: null };
  return {
    kind: 'soak',
    state: 'waiting',
    message: `Wait timer: may start in ${minutes(Math.ceil((at.getTime() - now.getTime()) / 60_000))} (${minutes(wait)} after the request)`,
    until: at.toISOString(),
  };
}

export interface Candidate {
  readonly email: string;
  // The role they hold on the service (global role raised by its team's role).
  readonly role: Role;
  readonly teams: ReadonlyArray<{ readonly id: string; readonly slug: string }>;
}

export type Refusal = {
  readonly code: 'SELF_APPROVAL_FORBIDDEN' | 'NOT_AN_APPROVER';
  readonly message: string;
};

// Whether one person may decide under the policy (object-level authorization is checked apart).
export function refusalFor(policy: PolicyRules, request: RequestFacts, person: Candidate): Refusal | null {
  if (policy.selfApprovalBanned && person.email === request.requestedBy) {
    return {
      code: 'SELF_APPROVAL_FORBIDDEN',
      message: 'You requested this deployment, so you cannot approve or reject it; another approver must',
    };
  }
  if (policy.selfApprovalBanned && request.releaseAuthor && person.email === request.releaseAuthor) {
    return {
      code: 'SELF_APPROVAL_FORBIDDEN',
      message: 'You wrote this release, so you cannot approve or reject it; another approver must',
    };
  }
  const { roles, teams, users } = policy.approvers;
  if (roles.length === 0 && teams.length === 0 && users.length === 0) return null;
  const eligible =
    roles.includes(person.role) ||
    person.teams.some((team) => teams.includes(team.slug)) ||
    users.includes(person.email);
  return eligible
    ? null
    : { code: 'NOT_AN_APPROVER', message: `Only ${describeApprovers(policy)} may decide on this deployment` };
}

// The team an approval counts for: one the policy names, preferring one not yet counted.
export function teamFor(
  policy: PolicyRules,
  person: Candidate,
  counted: readonly DecisionFact[],
): { id: string; slug: string } | null {
  const named = policy.approvers.teams;
  const preferred = person.teams.filter((team) => named.includes(team.slug));
  const teams = [...(preferred.length ? preferred : person.teams)].sort((a, b) =>
    a.slug.localeCompare(b.slug),
  );
  const taken = new Set(counted.map((decision) => decision.teamId));
  return teams.find((team) => !taken.has(team.id)) ?? teams[0] ?? null;
}
