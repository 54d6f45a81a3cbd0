import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { EndpointDef, RouteAccess } from '@flightdeck/contracts';
import type { Request } from 'express';
import { AuditService } from '../audit/audit.service.js';
import { ENDPOINT_METADATA } from '../common/endpoint.decorator.js';
import { ForbiddenError, UnauthenticatedError } from '../common/errors.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { ACCESS_METADATA } from './access.decorator.js';
import { effectiveRole, mayAnywhere } from './authz.rules.js';
import { assertCsrf, isSafeMethod } from './csrf.js';
import { actorOf, type Principal } from './principal.js';
import { principalFor } from './principals.js';
import { requestMeta } from './request-meta.js';
import { SessionsService } from './sessions.service.js';
import { TokensService } from './tokens.service.js';

// Decorators run once at load, so each handler's declaration is looked up once, not on every request.
const accessByHandler = new WeakMap<object, RouteAccess | undefined>();

export function routeAccess(handler: object): RouteAccess | undefined {
  if (accessByHandler.has(handler)) return accessByHandler.get(handler);
  const def = Reflect.getMetadata(ENDPOINT_METADATA, handler) as EndpointDef | undefined;
  const access = def?.access ?? (Reflect.getMetadata(ACCESS_METADATA, handler) as RouteAccess | undefined);
  accessByHandler.set(handler, access);
  return access;
}

// Runs before every handler: resolves who is calling (bearer token or session cookie), enforces CSRF on
// cookie-authenticated changes, and checks the route's declared access. A route without a declaration is
// refused outright (and fails the route inventory test).
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    @Inject(SessionsService) private readonly sessions: SessionsService,
    @Inject(TokensService) private readonly tokens: TokensService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    const access = routeAccess(context.getHandler());
    if (!access) throw new ForbiddenError('ROUTE_HAS_NO_ACCESS_RULE', 'This route declares no access rule');

    if (access === 'public') {
      // Public routes (health, the login page's state) must keep answering when the database cannot:
      // only a bad credential is an error here, not an outage.
      req.principal = await this.resolve(req).then(
        (resolved) => resolved?.principal ?? null,
        (error: unknown) => {
          if (error instanceof UnauthenticatedError) throw error;
          return null;
        },
      );
      return true;
    }
    const resolved = await this.resolve(req);
    req.principal = resolved?.principal ?? null;
    if (!resolved) {
      throw new UnauthenticatedError(
        'UNAUTHENTICATED',
        'Sign in, or send an API token as "Authorization: Bearer …"',
      );
    }
    if (resolved.csrfToken !== null && !isSafeMethod(req.method)) {
      assertCsrf(req, resolved.csrfToken, this.config.http.publicUrl);
    }
    if (access === 'authenticated' || mayAnywhere(resolved.principal, access)) return true;

    const principal = resolved.principal;
    const because =
      principal.scopes && !principal.scopes.includes('admin')
        ? `this token's scopes (${principal.scopes.join(', ')}) do not include it`
        : `your role is ${effectiveRole(principal)}`;
    // Reading is not a privileged action; every other refusal goes to the ledger.
    if (access !== 'catalog:read') {
      await this.audit.recordAlone({
        actor: actorOf(principal),
        action: 'access.denied',
        outcome: 'denied',
        target: {
          type: 'route',
          id: `${req.method} ${req.route ? (req.route as { path: string }).path : req.path}`,
        },
        reason: `needs ${access}`,
        request: requestMeta(req),
      });
    }
    throw new ForbiddenError('FORBIDDEN', `This needs the ${access} permission, and ${because}`, {
      permission: access,
    });
  }

  private async resolve(req: Request): Promise<{ principal: Principal; csrfToken: string | null } | null> {
    const authorization = req.headers.authorization;
    if (authorization !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      const principal = match ? await this.tokens.authenticate(match[1]!, requestMeta(req)) : null;
      // A bad token is an error even on public routes: CI should hear about it, not fall back to anonymous.
      if (!principal)
        throw new UnauthenticatedError('INVALID_TOKEN', 'The API token is unknown, revoked or expired');
      return { principal, csrfToken: null };
    }
    const cookie = this.sessions.tokenFrom(req);
    if (!cookie) return null;
    const resolved = await this.sessions.authenticate(cookie);
    if (!resolved) return null;
    return {
      principal: principalFor(resolved.user, { kind: 'session', sessionId: resolved.session.id }),
      csrfToken: resolved.session.csrfToken,
    };
  }
}
