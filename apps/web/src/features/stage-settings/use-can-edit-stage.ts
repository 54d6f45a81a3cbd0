import { roleAllows, roleRank, type Role } from '@flightdeck/contracts';
import { useContext } from 'react';
import { MeContext } from '../auth/me-context';

// The API checks catalog:write on the stage's service: the global role, raised by the role in the team
// that owns the service, and a token's scopes. `permissions` already carries the scopes (it is what the
// user may do somewhere), so the role on this service is the part left to check here.
export function useCanEditStages(serviceTeam: string | null): boolean {
  const me = useContext(MeContext);
  if (!me?.permissions.includes('catalog:write')) return false;
  const membership = serviceTeam ? me.memberships.find((m) => m.team.slug === serviceTeam) : undefined;
  const role: Role = membership && roleRank(membership.role) > roleRank(me.role) ? membership.role : me.role;
  return roleAllows(role, 'catalog:write');
}
