import { ROLE_PERMISSIONS, ROLES, type Permission, type Role } from '@flightdeck/contracts';

export const ROLE_LABEL: Record<Role, string> = {
  viewer: 'Viewer',
  deployer: 'Deployer',
  approver: 'Approver',
  admin: 'Admin',
};

// One line per role, shown wherever a role is picked.
export const ROLE_DESCRIPTION: Record<Role, string> = {
  viewer: 'Sees the board, services and deployments.',
  deployer: 'Also edits services, promotes and rolls back.',
  approver: 'Also approves production and reads the audit log.',
  admin: 'Everything, including users, teams and environment access.',
};

export function lowestRoleWith(permission: Permission): Role {
  return ROLES.find((role) => ROLE_PERMISSIONS[role].includes(permission)) ?? 'admin';
}
