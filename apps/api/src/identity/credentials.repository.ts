import { Inject, Injectable } from '@nestjs/common';
import type { Role, TokenScope } from '@flightdeck/contracts';
import { PrismaService } from '../database/prisma.service.js';

// The user behind a credential, with what a principal needs of them.
export interface CredentialUser {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly disabledAt: Date | null;
  readonly memberships: ReadonlyArray<{ readonly teamId: string; readonly role: Role }>;
}

export interface TokenCredential {
  readonly id: string;
  readonly scopes: TokenScope[];
  readonly expiresAt: Date | null;
  readonly lastUsedAt: Date | null;
  readonly revokedAt: Date | null;
  readonly user: CredentialUser;
}

export interface SessionCredential {
  readonly id: string;
  readonly csrfToken: string;
  readonly lastSeenAt: Date;
  readonly expiresAt: Date;
  readonly revokedAt: Date | null;
  readonly user: CredentialUser;
}

interface UserColumns {
  userId: string;
  userEmail: string;
  userName: string;
  userRole: Role;
  userDisabledAt: Date | null;
  userMemberships: Array<{ teamId: string; role: Role }>;
}

// Every request is authenticated, so a credential, its user and the user's team roles are read in one
// round trip (as Prisma reads them with `include`, that is four queries).
const USER_COLUMNS = `
  u.id AS "userId", u.email AS "userEmail", u.name AS "userName", u.role::text AS "userRole",
  u.disabled_at AS "userDisabledAt",
  COALESCE((SELECT json_agg(json_build_object('teamId', m.team_id, 'role', m.role::text)
                            ORDER BY m.created_at, m.team_id)
            FROM team_memberships m WHERE m.user_id = u.id), '[]'::json) AS "userMemberships"`;

const TOKEN_SQL = `
  SELECT t.id, t.scopes::text[] AS scopes, t.expires_at AS "expiresAt", t.last_used_at AS "lastUsedAt",
         t.revoked_at AS "revokedAt", ${USER_COLUMNS}
  FROM api_tokens t JOIN users u ON u.id = t.user_id
  WHERE t.token_hash = $1`;

const SESSION_SQL = `
  SELECT s.id, s.csrf_token AS "csrfToken", s.last_seen_at AS "lastSeenAt", s.expires_at AS "expiresAt",
         s.revoked_at AS "revokedAt", ${USER_COLUMNS}
  FROM sessions s JOIN users u ON u.id = s.user_id
  WHERE s.token_hash = $1`;

// The read path of authentication: looks credentials up by the SHA-256 of their secret.
@Injectable()
export class CredentialsRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  findToken(tokenHash: string): Promise<TokenCredential | null> {
    return this.findOne<Omit<TokenCredential, 'user'>>(TOKEN_SQL, tokenHash);
  }

  findSession(tokenHash: string): Promise<SessionCredential | null> {
    return this.findOne<Omit<SessionCredential, 'user'>>(SESSION_SQL, tokenHash);
  }

  private async findOne<T>(sql: string, tokenHash: string): Promise<(T & { user: CredentialUser }) | null> {
    const rows = await this.prisma.$queryRawUnsafe<Array<T & UserColumns>>(sql, tokenHash);
    const row = rows[0];
    if (!row) return null;
    const { userId, userEmail, userName, userRole, userDisabledAt, userMemberships, ...credential } = row;
    return {
      ...(credential as T),
      user: {
        id: userId,
        email: userEmail,
        name: userName,
        role: userRole,
        disabledAt: userDisabledAt,
        memberships: userMemberships,
      },
    };
  }
}
