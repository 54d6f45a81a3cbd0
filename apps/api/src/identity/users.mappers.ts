import { type Me, type Permission, PERMISSIONS, ROLE_PERMISSIONS, type User } from '@flightdeck/contracts';
import type { Principal } from './principal.js';
import { effectiveRole, scopesAllowAll } from './authz.rules.js';
import type { UserRow } from './users.repository.js';

export function mapUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    disabled: row.disabledAt !== null,
    hasPassword: row.passwordHash !== null,
    sso: row.identities.length > 0,
    memberships: row.memberships.map((m) => ({ team: m.team, role: m.role })),
    lastLoginAt: row.lastLoginAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

// What the principal may do somewhere: the web app enables controls from it; every action is
// still checked on the server against the object it touches.
export function mapMe(row: UserRow, principal: Principal): Me {
  const role = effectiveRole(principal);
  const permissions = PERMISSIONS.filter(
    (p: Permission) => ROLE_PERMISSIONS[role].includes(p) && scopesAllowAll(principal, p),
  );
  return { ...mapUser(row), permissions, via: principal.via };
}
