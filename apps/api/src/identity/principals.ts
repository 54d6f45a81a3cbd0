import type { Role, TokenScope } from '@flightdeck/contracts';
import type { Principal } from './principal.js';

// What a principal needs of a user: a full user row, or the columns authentication reads.
export interface PrincipalUser {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly memberships: ReadonlyArray<{ readonly teamId: string; readonly role: Role }>;
}

export function principalFor(
  user: PrincipalUser,
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
