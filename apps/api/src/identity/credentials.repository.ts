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
  user_id: string;
  email: string;
  user_name: string;
  user_role: Role;
  disabled_at: Date | null;
  memberships: Array<{ teamId: string; role: Role }>;
}

// Every request is authenticated, so a credential, its user and the user's team roles are read in one
// round trip (as Prisma reads them with `include`, that is four queries).
const USER_COLUMNS = `
  u.id AS user_id, u.email, u.name AS user_name, u.role::text AS user_role, u.disabled_at,
  COALESCE((SELECT json_agg(json_build_object('teamId', m.team_id, 'role', m.role::text)
                            ORDER BY m.created_at, m.team_id)
            FROM team_memberships m WHERE m.user_id = u.id), '[]'::json) AS memberships`;

const TOKEN_SQL = `
  SELECT t.id, t.scopes::text[] AS scopes, t.expires_at, t.last_used_at, t.revoked_at, ${USER_COLUMNS}
  FROM api_tokens t JOIN users u ON u.id = t.user_id
  WHERE t.token_hash = $1`;

const SESSION_SQL = `
  SELECT s.id, s.csrf_token, s.last_seen_at, s.expires_at, s.revoked_at, ${USER_COLUMNS}
  FROM sessions s JOIN users u ON u.id = s.user_id
  WHERE s.token_hash = $1`;

function userOf(row: UserColumns): CredentialUser {
  return {
    id: row.user_id,
    email: row.email,
    name: row.user_name,
    role: row.user_role,
    disabledAt: row.disabled_at,
    memberships: row.memberships,
  };
}

// The read path of authentication: looks credentials up by the SHA-256 of their secret.
@Injectable()
export class CredentialsRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  async findToken(tokenHash: string): Promise<TokenCredential | null> {
    const rows = await this.prisma.$queryRawUnsafe<
      Array<
        UserColumns & {
          id: string;
          scopes: TokenScope[];
          expires_at: Date | null;
          last_used_at: Date | null;
          revoked_at: Date | null;
        }
      >
    >(TOKEN_SQL, tokenHash);
    const row = rows[0];
    if (!row) return null;
    return {
      id: row.id,
      scopes: row.scopes,
      expiresAt: row.expires_at,
      lastUsedAt: row.last_used_at,
      revokedAt: row.revoked_at,
      user: userOf(row),
    };
  }

  async findSession(tokenHash: string): Promise<SessionCredential | null> {
    const rows = await this.prisma.$queryRawUnsafe<
      Array<
        UserColumns & {
          id: string;
          csrf_token: string;
          last_seen_at: Date;
          expires_at: Date;
          revoked_at: Date | null;
        }
      >
    >(SESSION_SQL, tokenHash);
    const row = rows[0];
    if (!row) return null;
    return {
      id: row.id,
      csrfToken: row.csrf_token,
      lastSeenAt: row.last_seen_at,
      expiresAt: row.expires_at,
      revokedAt: row.revoked_at,
      user: userOf(row),
    };
  }
}
