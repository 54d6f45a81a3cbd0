import { type Permission, type Role, roleAllows, roleRank, scopesAllow } from '@flightdeck/contracts';
import type { Principal } from './principal.js';

function higher(a: Role, b: Role): Role {
  return roleRank(a) >= roleRank(b) ? a : b;
}

// The highest role anywhere: the global role raised by any team role. Routes check this; objects check
// the role on their own service.
export function effectiveRole(principal: Principal): Role {
  return principal.memberships.reduce((role, m) => higher(role, m.role), principal.user.role);
}

// The role for one service: the global role, raised by the role in the team that owns it.
export function roleOnService(principal: Principal, teamId: string | null): Role {
  const membership = teamId ? principal.memberships.find((m) => m.teamId === teamId) : undefined;
  return membership ? higher(principal.user.role, membership.role) : principal.user.role;
}

export function scopesAllowAll(principal: Principal, permission: Permission): boolean {
  return principal.scopes === null || scopesAllow(principal.scopes, permission);
}

export function mayAnywhere(principal: Principal, permission: Permission): boolean {
  return roleAllows(effectiveRole(principal), permission) && scopesAllowAll(principal, permission);
}

export function mayOnService(principal: Principal, permission: Permission, teamId: string | null): boolean {
  return roleAllows(roleOnService(principal, teamId), permission) && scopesAllowAll(principal, permission);
}
