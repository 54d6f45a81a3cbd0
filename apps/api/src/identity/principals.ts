import type { TokenScope } from '@flightdeck/contracts';
import type { Principal } from './principal.js';
import type { UserRow } from './users.repository.js';

export function principalFor(
  user: UserRow,
  via:
    | { kind: 'session'; sessionId: string }
    | { kind: 'token'; tokenId: string; scopes: readonly TokenScope[] },
): Principal {
  return {
    via: via.kind,
    user: { id: user.id, email: user.email, name: user.name, role: user.role },
    memberships: user.memberships.map((m) => ({ teamId: m.teamId, role: m.role })),
    scopes: via.kind === 'token' ? via.scopes : null,
    sessionId: via.kind === 'session' ? via.sessionId : null,
    tokenId: via.kind === 'token' ? via.tokenId : null,
  };
}
