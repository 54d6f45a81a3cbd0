import { z } from 'zod';

export const ROLES = ['viewer', 'deployer', 'approver', 'admin'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

export const TOKEN_SCOPES = ['read', 'deploy', 'approve', 'admin'] as const;
export const tokenScopeSchema = z.enum(TOKEN_SCOPES);
export type TokenScope = z.infer<typeof tokenScopeSchema>;

export const GRANT_ACTIONS = ['deploy', 'approve'] as const;
export const grantActionSchema = z.enum(GRANT_ACTIONS);
export type GrantAction = z.infer<typeof grantActionSchema>;

// What a route may require. `public` needs nobody; `authenticated` needs any signed-in user or token.
export const PERMISSIONS = [
  'catalog:read',
  'catalog:write',
  'deployments:write',
  'approvals:decide',
  'freezes:write',
  'audit:read',
  'admin',
] as const;
export type Permission = (typeof PERMISSIONS)[number];
export type RouteAccess = Permission | 'public' | 'authenticated';

// Roles form a ladder: each has everything the one below it has.
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  viewer: ['catalog:read'],
  deployer: ['catalog:read', 'catalog:write', 'deployments:write'],
  approver: [
    'catalog:read',
    'catalog:write',
    'deployments:write',
    'approvals:decide',
    'freezes:write',
    'audit:read',
  ],
  admin: PERMISSIONS,
};

// A token can never do more than its owner; its scopes narrow it further.
export const SCOPE_PERMISSIONS: Readonly<Record<TokenScope, readonly Permission[]>> = {
  read: ['catalog:read', 'audit:read'],
  deploy: ['catalog:read', 'catalog:write', 'deployments:write'],
  approve: ['catalog:read', 'approvals:decide', 'freezes:write'],
  admin: PERMISSIONS,
};

// The least role that can use a scope: a viewer has no use for a deploy token.
export const SCOPE_MIN_ROLE: Readonly<Record<TokenScope, Role>> = {
  read: 'viewer',
  deploy: 'deployer',
  approve: 'approver',
  admin: 'admin',
};

export function roleRank(role: Role): number {
  return ROLES.indexOf(role);
}

export function roleAllows(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

export function scopesAllow(scopes: readonly TokenScope[], permission: Permission): boolean {
  return scopes.some((scope) => SCOPE_PERMISSIONS[scope].includes(permission));
}
