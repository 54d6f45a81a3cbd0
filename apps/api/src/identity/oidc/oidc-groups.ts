import { roleRank, type Role } from '@flightdeck/contracts';

function higher(a: Role | undefined, b: Role): Role {
  return a === undefined || roleRank(b) > roleRank(a) ? b : a;
}

// The global role after an SSO login. Groups decide when they say something: the highest role among the
// user's mapped groups wins, even if that demotes the user. When no group of theirs is mapped, an existing
// user keeps the role they have (so an admin can set it by hand) and a new user starts as a viewer.
// Consequence: to take a role away through the provider, map a group the user stays in (e.g. everyone=viewer).
export function roleFromGroups(
  groups: readonly string[],
  groupRoles: ReadonlyMap<string, Role>,
  current: Role | null,
): Role {
  let mapped: Role | undefined;
  for (const group of groups) {
    const role = groupRoles.get(group);
    if (role) mapped = higher(mapped, role);
  }
  return mapped ?? current ?? 'viewer';
}

// Team slug → role the groups grant there; several groups naming one team give the highest of their roles.
export function teamRolesFromGroups(
  groups: readonly string[],
  groupTeams: ReadonlyMap<string, { team: string; role: Role }>,
): Map<string, Role> {
  const wanted = new Map<string, Role>();
  for (const group of groups) {
    const target = groupTeams.get(group);
    if (target) wanted.set(target.team, higher(wanted.get(target.team), target.role));
  }
  return wanted;
}

export interface CurrentMembership {
  readonly teamId: string;
  readonly role: Role;
  readonly fromSso: boolean;
}

export interface MembershipPlan {
  readonly create: ReadonlyArray<{ teamId: string; role: Role }>;
  readonly update: ReadonlyArray<{ teamId: string; role: Role }>;
  readonly remove: readonly string[];
}

// What to change so the SSO-sourced memberships match `wanted` (team id → role). Memberships an admin
// added by hand (fromSso false) are never touched, not even when a group names the same team.
export function planMembershipSync(
  current: readonly CurrentMembership[],
  wanted: ReadonlyMap<string, Role>,
): MembershipPlan {
  const byTeam = new Map(current.map((membership) => [membership.teamId, membership]));
  const create: Array<{ teamId: string; role: Role }> = [];
  const update: Array<{ teamId: string; role: Role }> = [];
  for (const [teamId, role] of wanted) {
    const existing = byTeam.get(teamId);
    if (!existing) create.push({ teamId, role });
    else if (existing.fromSso && existing.role !== role) update.push({ teamId, role });
  }
  const remove = current
    .filter((membership) => membership.fromSso && !wanted.has(membership.teamId))
    .map((membership) => membership.teamId);
  return { create, update, remove };
}

export function planIsEmpty(plan: MembershipPlan): boolean {
  return plan.create.length === 0 && plan.update.length === 0 && plan.remove.length === 0;
}
