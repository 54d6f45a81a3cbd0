import { Inject, Injectable } from '@nestjs/common';
import { endpoints, type Role } from '@flightdeck/contracts';
import type { Response } from 'express';
import type { Logger } from 'pino';
import { AuditService, type AuditActor, type RequestMeta } from '../../audit/audit.service.js';
import { describeError } from '../../common/describe-error.js';
import { NotFoundError, ValidationError } from '../../common/errors.js';
import { APP_CONFIG, type AppConfig, type OidcConfig } from '../../config/config.js';
import { PrismaService, type Tx } from '../../database/prisma.service.js';
import { LOGGER } from '../../logging/logger.js';
import { SessionsService, safeEqual } from '../sessions.service.js';
import { OIDC_CLIENT, OidcClientError, type OidcClaims, type OidcClient } from './oidc-client.js';
import { planIsEmpty, planMembershipSync, roleFromGroups, teamRolesFromGroups } from './oidc-groups.js';
import { LOGIN_STATE_TTL_MINUTES, OidcRepository, type SsoUser } from './oidc.repository.js';
import { sameSitePath } from './return-to.js';

// The codes the login page understands (`/login?error=<code>`).
export type SsoErrorCode = 'sso_denied' | 'sso_state_mismatch' | 'sso_failed' | 'user_disabled';

class SsoFailure extends Error {
  constructor(
    readonly code: SsoErrorCode,
    readonly detail: string,
    readonly user: SsoUser | null = null,
  ) {
    super(`${code}: ${detail}`);
  }
}

export interface CallbackContext {
  // Where this request came in: scheme and host, used when no public URL is configured.
  readonly origin: string;
  // The login-binding cookie the browser sent back, if any.
  readonly boundState: string | null;
  // The session the browser already had, ended by the new sign-in.
  readonly currentSessionId: string | null;
  readonly meta: RequestMeta;
}

const BINDING_COOKIE = 'flightdeck_sso';
const CALLBACK_PATH = endpoints.finishSsoLogin.path;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

@Injectable()
export class OidcService {
  // A mapping to a team that does not exist is reported once per process, not on every login.
  private readonly reportedMissingTeams = new Set<string>();
  private readonly secureCookies: boolean;
  readonly bindingCookie: string;

  constructor(
    @Inject(OIDC_CLIENT) private readonly client: OidcClient | null,
    @Inject(OidcRepository) private readonly repository: OidcRepository,
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(SessionsService) private readonly sessions: SessionsService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.secureCookies = config.http.publicUrl?.startsWith('https://') ?? false;
    this.bindingCookie = this.secureCookies ? `__Host-${BINDING_COOKIE}` : BINDING_COOKIE;
  }

  // Stores the login's state, nonce and PKCE verifier, binds the state to this browser with a short
  // cookie (so a callback URL made on another browser cannot sign this one in: login CSRF), and
  // returns the provider URL to send the browser to.
  async startLogin(returnTo: string | undefined, origin: string, res: Response): Promise<string> {
    const client = this.requireClient();
    const target = returnTo === undefined ? '/' : sameSitePath(returnTo);
    if (target === null) {
      throw new ValidationError(
        'INVALID_QUERY',
        'Invalid query parameter — returnTo: must be a path on this site',
        {
          issues: [{ field: 'returnTo', message: 'must be a path on this site' }],
        },
      );
    }
    const request = await client.beginLogin(this.redirectUri(origin));
    await this.repository.sweepLoginStates();
    await this.repository.saveLoginState({
      state: request.state,
      codeVerifier: request.codeVerifier,
      nonce: request.nonce,
      returnTo: target,
    });
    res.cookie(this.bindingCookie, request.state, {
      httpOnly: true,
      secure: this.secureCookies,
      // Lax: sent on the provider's top-level redirect back to us, not on cross-site subrequests.
      sameSite: 'lax',
      path: '/',
      maxAge: LOGIN_STATE_TTL_MINUTES * 60_000,
    });
    return request.url.toString();
  }

  // Completes a login and returns where to send the browser: `returnTo`, or `/login?error=<code>`.
  // Never throws: the browser must land on a page, not on a JSON error.
  async finishLogin(rawQuery: unknown, context: CallbackContext, res: Response): Promise<string> {
    res.clearCookie(this.bindingCookie, {
      httpOnly: true,
      secure: this.secureCookies,
      sameSite: 'lax',
      path: '/',
    });
    if (!this.client || !this.config.auth.oidc) {
      this.logger.warn('sso callback received but single sign-on is not configured');
      return '/login?error=sso_failed';
    }
    try {
      return await this.complete(this.client, this.config.auth.oidc, rawQuery, context, res);
    } catch (error) {
      const failure =
        error instanceof SsoFailure
          ? error
          : new SsoFailure(
              'sso_failed',
              error instanceof OidcClientError ? error.message : `unexpected ${describeError(error).name}`,
            );
      if (!(error instanceof SsoFailure) && !(error instanceof OidcClientError)) {
        this.logger.error({ error: describeError(error) }, 'sso login failed unexpectedly');
      }
      await this.recordFailure(failure, context.meta);
      return `/login?error=${failure.code}`;
    }
  }

  private async complete(
    client: OidcClient,
    settings: OidcConfig,
    rawQuery: unknown,
    context: CallbackContext,
    res: Response,
  ): Promise<string> {
    const parsed = endpoints.finishSsoLogin.query.safeParse(rawQuery ?? {});
    if (!parsed.success) throw new SsoFailure('sso_failed', 'the callback parameters are malformed');
    const query = parsed.data;
    // Consumed first, whatever follows: a state works once.
    const login = await this.repository.consumeLoginState(query.state);
    if (query.error !== undefined) {
      const description = query.error_description ? ` (${query.error_description.slice(0, 120)})` : '';
      const code = query.error === 'access_denied' ? 'sso_denied' : 'sso_failed';
      throw new SsoFailure(code, `provider answered ${query.error}${description}`);
    }
    if (!login) throw new SsoFailure('sso_state_mismatch', 'unknown or already used state');
    if (login.expired)
      throw new SsoFailure('sso_state_mismatch', `state older than ${LOGIN_STATE_TTL_MINUTES} minutes`);
    if (context.boundState === null || !safeEqual(context.boundState, query.state)) {
      throw new SsoFailure('sso_state_mismatch', 'state was not issued to this browser');
    }
    if (!query.code) throw new SsoFailure('sso_failed', 'the callback carries no code');

    const callbackUrl = new URL(this.redirectUri(context.origin));
    for (const key of ['code', 'state', 'iss'] as const) {
      const value = query[key];
      if (value !== undefined) callbackUrl.searchParams.set(key, value);
    }
    // The one outbound call, made outside any database transaction.
    const claims = await client.finishLogin({
      callbackUrl,
      state: query.state,
      nonce: login.nonce,
      codeVerifier: login.codeVerifier,
    });
    const email = claims.email?.toLowerCase() ?? null;
    if (!email || email.length > 254 || !EMAIL.test(email)) {
      throw new SsoFailure('sso_failed', 'the provider sent no usable email claim (add the "email" scope)');
    }
    if (claims.emailVerified === false)
      throw new SsoFailure('sso_failed', 'the provider says the e-mail is not verified');

    await this.prisma.$transaction(async (tx) => {
      const user = await this.signIn(tx, client.issuer, settings, { ...claims, email }, context);
      if (context.currentSessionId) await this.sessions.revoke(context.currentSessionId, tx);
      await this.sessions.start(res, user.id, context.meta, tx);
      await this.audit.record(tx, {
        actor: actorFor(user),
        action: 'auth.login',
        outcome: 'success',
        target: { type: 'user', id: user.id },
        reason: 'sso',
        request: context.meta,
      });
    });
    return sameSitePath(login.returnTo) ?? '/';
  }

  // Finds, links or creates the user, then applies role and team memberships from the groups claim.
  private async signIn(
    tx: Tx,
    issuer: string,
    settings: OidcConfig,
    claims: OidcClaims & { email: string },
    context: CallbackContext,
  ): Promise<SsoUser> {
    const groups = claims.groups ?? [];
    const now = new Date();
    let user = await this.repository.findUserByIdentity(issuer, claims.subject, tx);
    let linked = false;
    if (!user) {
      user = await this.repository.findUserByEmail(claims.email, tx);
      if (user) {
        if (user.disabledAt) throw new SsoFailure('user_disabled', 'account disabled', user);
        if (await this.repository.otherSubjectLinked(user.id, issuer, claims.subject, tx)) {
          throw new SsoFailure(
            'sso_failed',
            'this e-mail belongs to another account at the same provider',
            user,
          );
        }
        await this.repository.linkIdentity(user.id, issuer, claims.subject, tx);
        linked = true;
      }
    }
    if (user?.disabledAt) throw new SsoFailure('user_disabled', 'account disabled', user);

    if (!user) {
      const created = await this.repository.createUser(
        {
          email: claims.email,
          name: claims.name ?? claims.email,
          role: roleFromGroups(groups, settings.groupRoles, null),
          lastLoginAt: now,
        },
        tx,
      );
      await this.repository.linkIdentity(created.id, issuer, claims.subject, tx);
      await this.audit.record(tx, {
        actor: actorFor(created),
        action: 'user.create',
        outcome: 'success',
        target: { type: 'user', id: created.id },
        reason: 'sso first login',
        request: context.meta,
        after: { email: created.email, name: created.name, role: created.role, sso: true },
      });
      await this.syncMemberships(tx, created, groups, settings, context.meta);
      return created;
    }

    if (linked) {
      await this.audit.record(tx, {
        actor: actorFor(user),
        action: 'user.sso.link',
        outcome: 'success',
        target: { type: 'user', id: user.id },
        reason: 'sso login matched the e-mail of an existing account',
        request: context.meta,
      });
    }
    const role = roleFromGroups(groups, settings.groupRoles, user.role);
    const changes: { email?: string; name?: string; role?: Role } = {};
    if (role !== user.role) changes.role = role;
    if (claims.name && claims.name !== user.name) changes.name = claims.name;
    // The provider's e-mail follows renames, unless another account already has the new one.
    if (claims.email !== user.email) {
      if (await this.repository.emailTaken(claims.email, user.id, tx)) {
        this.logger.warn(
          { userId: user.id },
          'sso e-mail changed to one another account has; kept the old one',
        );
      } else {
        changes.email = claims.email;
      }
    }
    const updated = await this.repository.updateUser(user.id, { ...changes, lastLoginAt: now }, tx);
    if (Object.keys(changes).length > 0) {
      await this.audit.record(tx, {
        actor: actorFor(updated),
        action: 'user.update',
        outcome: 'success',
        target: { type: 'user', id: user.id },
        reason: 'sso claims and group mapping',
        request: context.meta,
        before: pick(user, changes),
        after: pick(updated, changes),
      });
    }
    await this.syncMemberships(tx, updated, groups, settings, context.meta);
    return updated;
  }

  private async syncMemberships(
    tx: Tx,
    user: SsoUser,
    groups: readonly string[],
    settings: OidcConfig,
    meta: RequestMeta,
  ): Promise<void> {
    const wantedBySlug = teamRolesFromGroups(groups, settings.groupTeams);
    const teams = await this.repository.teamsBySlug([...wantedBySlug.keys()], tx);
    const idBySlug = new Map(teams.map((team) => [team.slug, team.id]));
    const wanted = new Map<string, Role>();
    for (const [slug, role] of wantedBySlug) {
      const teamId = idBySlug.get(slug);
      if (teamId) wanted.set(teamId, role);
      else this.reportMissingTeam(slug);
    }
    const before = await this.repository.membershipsOf(user.id, tx);
    const plan = planMembershipSync(before, wanted);
    if (planIsEmpty(plan)) return;
    await this.repository.applyMembershipPlan(user.id, plan, tx);
    const after = await this.repository.membershipsOf(user.id, tx);
    const view = (list: typeof before) =>
      list.filter((m) => m.fromSso).map((m) => ({ team: m.slug, role: m.role }));
    await this.audit.record(tx, {
      actor: actorFor(user),
      action: 'team.membership.sync',
      outcome: 'success',
      target: { type: 'user', id: user.id },
      reason: `sso groups: ${plan.create.length} added, ${plan.update.length} changed, ${plan.remove.length} removed`,
      request: meta,
      before: view(before),
      after: view(after),
    });
  }

  private reportMissingTeam(slug: string): void {
    if (this.reportedMissingTeams.has(slug)) return;
    this.reportedMissingTeams.add(slug);
    this.logger.warn(
      { team: slug },
      'FLIGHTDECK_OIDC_GROUP_TEAMS names a team that does not exist; that mapping is ignored until it does',
    );
  }

  private async recordFailure(failure: SsoFailure, meta: RequestMeta): Promise<void> {
    this.logger.warn({ code: failure.code, reason: failure.detail }, 'sso login refused');
    try {
      await this.audit.recordAlone({
        actor: failure.user ? actorFor(failure.user) : { type: 'anonymous', id: null, name: 'anonymous' },
        action: 'auth.sso.failed',
        outcome: 'failure',
        target: failure.user ? { type: 'user', id: failure.user.id } : null,
        reason: `${failure.code}: ${failure.detail}`.slice(0, 500),
        request: meta,
      });
    } catch (error) {
      // The browser still gets its redirect; the log keeps what the ledger could not.
      this.logger.error({ error: describeError(error) }, 'could not record a failed sso login');
    }
  }

  private requireClient(): OidcClient {
    if (!this.client) {
      throw new NotFoundError(
        'SSO_NOT_CONFIGURED',
        'Single sign-on is not configured (FLIGHTDECK_OIDC_ISSUER)',
      );
    }
    return this.client;
  }

  // The public URL when configured, else the origin the browser used; the provider must list the result.
  private redirectUri(origin: string): string {
    return `${this.config.http.publicUrl ?? origin}${CALLBACK_PATH}`;
  }
}

function actorFor(user: SsoUser): AuditActor {
  return { type: 'user', id: user.id, name: user.email };
}

function pick(user: SsoUser, changes: Record<string, unknown>): Record<string, unknown> {
  const source = user as unknown as Record<string, unknown>;
  return Object.fromEntries(Object.keys(changes).map((key) => [key, source[key]]));
}
