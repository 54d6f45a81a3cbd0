import { rm } from 'node:fs/promises';
import { Inject, Injectable } from '@nestjs/common';
import type { AuthState } from '@flightdeck/contracts';
import type { Response } from 'express';
import { AuditService, type RequestMeta } from '../audit/audit.service.js';
import { ConflictError, ForbiddenError, UnauthenticatedError } from '../common/errors.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { PrismaService } from '../database/prisma.service.js';
import { LoginThrottle } from './login-throttle.js';
import { burnPasswordCheck, hashPassword, verifyPassword } from './passwords.js';
import { actorOf, type Principal } from './principal.js';
import { principalFor } from './principals.js';
import { SessionsService } from './sessions.service.js';
import { FIRST_USER_LOCK, SetupService } from './setup.service.js';
import { mapMe } from './users.mappers.js';
import { UsersRepository } from './users.repository.js';

@Injectable()
export class AuthService {
  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(UsersRepository) private readonly users: UsersRepository,
    @Inject(SessionsService) private readonly sessions: SessionsService,
    @Inject(LoginThrottle) private readonly throttle: LoginThrottle,
    @Inject(SetupService) private readonly setup: SetupService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async state(principal: Principal | null, csrfToken?: string | null): Promise<AuthState> {
    const user = principal ? await this.users.findById(principal.user.id) : null;
    const csrf =
      csrfToken !== undefined
        ? csrfToken
        : principal?.sessionId
          ? await this.sessions.csrfTokenFor(principal.sessionId)
          : null;
    return {
      user: user && principal ? mapMe(user, principal) : null,
      csrfToken: principal?.via === 'session' || csrfToken ? csrf : null,
      setupRequired: (await this.users.count()) === 0,
      sso: { enabled: this.config.auth.oidc !== null, name: this.config.auth.oidc?.name ?? 'SSO' },
      localLogin: this.config.auth.localLogin,
    };
  }

  async login(
    input: { email: string; password: string },
    current: Principal | null,
    res: Response,
    meta: RequestMeta,
  ): Promise<AuthState> {
    if (!this.config.auth.localLogin) {
      throw new ForbiddenError(
        'LOCAL_LOGIN_DISABLED',
        `Sign in with ${this.config.auth.oidc?.name ?? 'SSO'} instead`,
      );
    }
    const ip = meta.ip ?? 'unknown';
    await this.throttle.assertAllowed(input.email, ip);
    const user = await this.users.findByEmail(input.email);
    const ok = user?.passwordHash
      ? await verifyPassword(user.passwordHash, input.password)
      : (await burnPasswordCheck(input.password), false);
    if (!user || !ok) {
      await this.prisma.$transaction(async (tx) => {
        await this.throttle.recordAttempt(input.email, ip, false, tx);
        await this.audit.record(tx, {
          actor: { type: 'anonymous', id: null, name: input.email },
          action: 'auth.login.failed',
          outcome: 'failure',
          target: user ? { type: 'user', id: user.id } : null,
          reason: user ? 'wrong password' : 'unknown account',
          request: meta,
        });
      });
      throw new UnauthenticatedError(
        'INVALID_CREDENTIALS',
        'That e-mail and password do not match an account',
      );
    }
    if (user.disabledAt) {
      await this.audit.recordAlone({
        actor: { type: 'user', id: user.id, name: user.email },
        action: 'auth.login.failed',
        outcome: 'denied',
        target: { type: 'user', id: user.id },
        reason: 'account disabled',
        request: meta,
      });
      throw new ForbiddenError('USER_DISABLED', 'This account is disabled; ask an administrator');
    }
    const session = await this.prisma.$transaction(async (tx) => {
      // Rotation: whatever session came with the request ends; the sign-in gets a fresh one.
      if (current?.sessionId) await this.sessions.revoke(current.sessionId, tx);
      await this.throttle.recordAttempt(input.email, ip, true, tx);
      await tx.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
      const started = await this.sessions.start(res, user.id, meta, tx);
      await this.audit.record(tx, {
        actor: { type: 'user', id: user.id, name: user.email },
        action: 'auth.login',
        outcome: 'success',
        target: { type: 'user', id: user.id },
        reason: 'password',
        request: meta,
      });
      return started;
    });
    return this.state(principalFor(user, { kind: 'session', sessionId: session.id }), session.csrfToken);
  }

  async logout(principal: Principal, res: Response, meta: RequestMeta): Promise<AuthState> {
    if (principal.sessionId) {
      const sessionId = principal.sessionId;
      await this.prisma.$transaction(async (tx) => {
        await this.sessions.revoke(sessionId, tx);
        await this.audit.record(tx, {
          actor: actorOf(principal),
          action: 'auth.logout',
          outcome: 'success',
          target: { type: 'user', id: principal.user.id },
          request: meta,
        });
      });
    }
    this.sessions.clearCookie(res);
    return this.state(null);
  }

  async completeSetup(
    input: { setupToken: string; email: string; name: string; password: string },
    res: Response,
    meta: RequestMeta,
  ): Promise<AuthState> {
    if ((await this.users.count()) > 0) {
      throw new ConflictError('SETUP_ALREADY_DONE', 'Flightdeck already has users; sign in instead');
    }
    if (!(await this.setup.verifyToken(input.setupToken))) {
      // The token file goes once setup is done: a form racing the winner gets "already done", not "wrong token".
      if ((await this.users.count()) > 0) {
        throw new ConflictError('SETUP_ALREADY_DONE', 'Flightdeck already has users; sign in instead');
      }
      await this.audit.recordAlone({
        actor: { type: 'anonymous', id: null, name: input.email },
        action: 'setup.failed',
        outcome: 'denied',
        reason: 'wrong setup token',
        request: meta,
      });
      throw new ForbiddenError(
        'INVALID_SETUP_TOKEN',
        `That is not the setup token in ${this.setup.tokenPath}`,
      );
    }
    const passwordHash = await hashPassword(input.password);
    const result = await this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${FIRST_USER_LOCK})`;
      // Two setup forms submitted together: the second finds the first admin and stops here.
      if ((await tx.user.count()) > 0) {
        throw new ConflictError('SETUP_ALREADY_DONE', 'Flightdeck already has users; sign in instead');
      }
      const user = await this.users.create(
        { email: input.email, name: input.name, role: 'admin', passwordHash, lastLoginAt: new Date() },
        tx,
      );
      const session = await this.sessions.start(res, user.id, meta, tx);
      await this.audit.record(tx, {
        actor: { type: 'user', id: user.id, name: user.email },
        action: 'setup.complete',
        outcome: 'success',
        target: { type: 'user', id: user.id },
        reason: 'first admin from the setup screen',
        request: meta,
        after: { email: user.email, name: user.name, role: user.role },
      });
      return { user, session };
    });
    await rm(this.setup.tokenPath, { force: true });
    return this.state(
      principalFor(result.user, { kind: 'session', sessionId: result.session.id }),
      result.session.csrfToken,
    );
  }
}
