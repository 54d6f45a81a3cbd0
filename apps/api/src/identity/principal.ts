import type { Role, TokenScope } from '@flightdeck/contracts';
import type { AuditActor } from '../audit/audit.service.js';

// Who is making a request, resolved once per request by the access guard.
export interface Principal {
  readonly via: 'session' | 'token';
  readonly user: { readonly id: string; readonly email: string; readonly name: string; readonly role: Role };
  // Team roles raise the global role for that team's services.
  readonly memberships: ReadonlyArray<{ readonly teamId: string; readonly role: Role }>;
  // Null for sessions; a token can do no more than its scopes allow.
  readonly scopes: readonly TokenScope[] | null;
  readonly sessionId: string | null;
  readonly tokenId: string | null;
}

export function actorOf(principal: Principal | null | undefined): AuditActor {
  if (!principal) return { type: 'anonymous', id: null, name: 'anonymous' };
  if (principal.via === 'token') {
    return { type: 'token', id: principal.tokenId, name: `${principal.user.email} (token)` };
  }
  return { type: 'user', id: principal.user.id, name: principal.user.email };
}
