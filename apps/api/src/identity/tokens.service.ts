import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type ApiToken, roleRank, SCOPE_MIN_ROLE, type TokenScope } from '@flightdeck/contracts';
import { AuditService, type RequestMeta } from '../audit/audit.service.js';
import { NotFoundError, ValidationError } from '../common/errors.js';
import { PrismaService } from '../database/prisma.service.js';
import type { ApiToken as ApiTokenRow } from '../generated/prisma/client.js';
import { effectiveRole } from './authz.rules.js';
import { CredentialsRepository } from './credentials.repository.js';
import { actorOf, type Principal } from './principal.js';
import { principalFor } from './principals.js';
import { sha256 } from './sessions.service.js';

// A recognisable prefix lets secret scanners (and people) spot a leaked Flightdeck token.
export const TOKEN_PREFIX = 'fdt_';
const LAST_USED_WRITE_INTERVAL_MS = 60_000;

export function mapToken(row: ApiTokenRow): ApiToken {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

@Injectable()
export class TokensService {
  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(CredentialsRepository) private readonly credentials: CredentialsRepository,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  // The principal behind a bearer token, or null when it is unknown, revoked, expired or its owner disabled.
  async authenticate(raw: string, meta: RequestMeta): Promise<Principal | null> {
    if (!raw.startsWith(TOKEN_PREFIX)) return null;
    const token = await this.credentials.findToken(sha256(raw));
    if (!token || token.revokedAt || (token.expiresAt && token.expiresAt.getTime() <= Date.now()))
      return null;
    const user = token.user;
    if (user.disabledAt) return null;
    if (!token.lastUsedAt || Date.now() - token.lastUsedAt.getTime() > LAST_USED_WRITE_INTERVAL_MS) {
      await this.prisma.apiToken.update({
        where: { id: token.id },
        data: { lastUsedAt: new Date(), lastUsedIp: meta.ip },
      });
    }
    return principalFor(user, { kind: 'token', tokenId: token.id, scopes: token.scopes });
  }

  async listFor(principal: Principal): Promise<{ items: ApiToken[] }> {
    const rows = await this.prisma.apiToken.findMany({
      where: { userId: principal.user.id },
      orderBy: [{ revokedAt: { sort: 'desc', nulls: 'first' } }, { createdAt: 'desc' }],
    });
    return { items: rows.map(mapToken) };
  }

  async create(
    principal: Principal,
    input: { name: string; scopes: TokenScope[]; expiresInDays: number | null },
    meta: RequestMeta,
  ): Promise<ApiToken & { token: string }> {
    // A token never does more than its owner; asking for more is a mistake worth naming.
    const role = effectiveRole(principal);
    const tooWide = input.scopes.filter((scope) => roleRank(role) < roleRank(SCOPE_MIN_ROLE[scope]));
    if (tooWide.length > 0) {
      throw new ValidationError(
        'SCOPE_NOT_ALLOWED',
        `Your role (${role}) cannot use the scope(s): ${tooWide.join(', ')}`,
        {
          issues: [{ field: 'scopes', message: `not allowed for a ${role}` }],
        },
      );
    }
    if (principal.via === 'token' && !principal.scopes?.includes('admin')) {
      throw new ValidationError(
        'TOKEN_CANNOT_MINT',
        'Create tokens while signed in, not with another token',
        {
          issues: [{ field: 'scopes', message: 'signed-in session required' }],
        },
      );
    }
    const secret = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const row = await this.prisma.$transaction(async (tx) => {
      const created = await tx.apiToken.create({
        data: {
          userId: principal.user.id,
          name: input.name,
          prefix: secret.slice(0, TOKEN_PREFIX.length + 6),
          tokenHash: sha256(secret),
          scopes: [...new Set(input.scopes)],
          expiresAt: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null,
        },
      });
      await this.audit.record(tx, {
        actor: actorOf(principal),
        action: 'token.create',
        outcome: 'success',
        target: { type: 'api_token', id: created.id },
        request: meta,
        after: mapToken(created),
      });
      return created;
    });
    return { ...mapToken(row), token: secret };
  }

  async revoke(principal: Principal, id: string, meta: RequestMeta): Promise<ApiToken> {
    return this.prisma.$transaction(async (tx) => {
      const token = await tx.apiToken.findFirst({ where: { id, userId: principal.user.id } });
      if (!token) throw new NotFoundError('TOKEN_NOT_FOUND', `You have no API token with id "${id}"`);
      if (token.revokedAt) return mapToken(token);
      const revoked = await tx.apiToken.update({ where: { id }, data: { revokedAt: new Date() } });
      await this.audit.record(tx, {
        actor: actorOf(principal),
        action: 'token.revoke',
        outcome: 'success',
        target: { type: 'api_token', id },
        request: meta,
        before: mapToken(token),
        after: mapToken(revoked),
      });
      return mapToken(revoked);
    });
  }
}
