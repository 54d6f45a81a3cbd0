import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { PrismaService, type Tx } from '../database/prisma.service.js';
import type { RequestMeta } from '../audit/audit.service.js';
import { type CredentialUser, CredentialsRepository } from './credentials.repository.js';

export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

// How often a session's last-seen time is written: not on every request.
const TOUCH_AFTER_MS = 60_000;

export interface ActiveSession {
  readonly id: string;
  readonly userId: string;
  readonly csrfToken: string;
}

@Injectable()
export class SessionsService {
  // `__Host-` cookies must be Secure, so they are used only when Flightdeck is reached over TLS.
  readonly cookieName: string;
  private readonly secure: boolean;

  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CredentialsRepository) private readonly credentials: CredentialsRepository,
  ) {
    this.secure = config.http.publicUrl?.startsWith('https://') ?? false;
    this.cookieName = this.secure ? '__Host-flightdeck_session' : 'flightdeck_session';
  }

  // A new session with a new id and CSRF token: called on every sign-in, so a session id planted
  // before login is never promoted (rotation).
  async start(
    res: Response,
    userId: string,
    meta: RequestMeta,
    tx: Tx = this.prisma,
  ): Promise<ActiveSession> {
    const token = randomBytes(32).toString('base64url');
    const now = Date.now();
    const session = await tx.session.create({
      data: {
        tokenHash: sha256(token),
        userId,
        csrfToken: randomBytes(32).toString('base64url'),
        ip: meta.ip,
        userAgent: meta.userAgent,
        expiresAt: new Date(now + this.config.auth.sessionMaxHours * 3_600_000),
      },
    });
    res.cookie(this.cookieName, token, {
      httpOnly: true,
      secure: this.secure,
      sameSite: 'lax',
      path: '/',
      maxAge: this.config.auth.sessionMaxHours * 3_600_000,
    });
    return { id: session.id, userId, csrfToken: session.csrfToken };
  }

  clearCookie(res: Response): void {
    res.clearCookie(this.cookieName, { httpOnly: true, secure: this.secure, sameSite: 'lax', path: '/' });
  }

  tokenFrom(req: Request): string | null {
    const cookies = req.cookies as Record<string, string | undefined> | undefined;
    return cookies?.[this.cookieName] ?? null;
  }

  // The live session for a cookie value and its user, or null when unknown, revoked, idle too long, past
  // its limit or its user is disabled. One round trip; the last-seen write happens once a minute at most.
  async authenticate(token: string): Promise<{ session: ActiveSession; user: CredentialUser } | null> {
    const session = await this.credentials.findSession(sha256(token));
    if (!session || session.revokedAt) return null;
    const now = Date.now();
    const idleLimit = session.lastSeenAt.getTime() + this.config.auth.sessionIdleMinutes * 60_000;
    if (now > session.expiresAt.getTime() || now > idleLimit) return null;
    if (session.user.disabledAt) return null;
    if (now - session.lastSeenAt.getTime() > TOUCH_AFTER_MS) {
      await this.prisma.session.update({ where: { id: session.id }, data: { lastSeenAt: new Date(now) } });
    }
    return {
      session: { id: session.id, userId: session.user.id, csrfToken: session.csrfToken },
      user: session.user,
    };
  }

  async revoke(sessionId: string, tx: Tx = this.prisma): Promise<void> {
    await tx.session.updateMany({
      where: { id: sessionId, revokedAt: null },
      data: { revokedAt: new Date() },
    });
  }

  // Signs a user out everywhere (disabled, password changed), optionally keeping one session.
  async revokeAllFor(userId: string, tx: Tx = this.prisma, keep?: string): Promise<number> {
    const { count } = await tx.session.updateMany({
      where: { userId, revokedAt: null, ...(keep ? { id: { not: keep } } : {}) },
      data: { revokedAt: new Date() },
    });
    return count;
  }

  csrfTokenFor(sessionId: string): Promise<string | null> {
    return this.prisma.session
      .findUnique({ where: { id: sessionId }, select: { csrfToken: true } })
      .then((row) => row?.csrfToken ?? null);
  }
}
