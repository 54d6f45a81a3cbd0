import { Inject, Injectable } from '@nestjs/common';
import type { Role } from '@flightdeck/contracts';
import { PrismaService, type Tx } from '../../database/prisma.service.js';

// How long a started login may take before its state is refused and swept.
export const LOGIN_STATE_TTL_MINUTES = 10;

export interface ConsumedLoginState {
  readonly codeVerifier: string;
  readonly nonce: string;
  readonly returnTo: string;
  readonly expired: boolean;
}

export interface SsoUser {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly disabledAt: Date | null;
}

export interface SsoMembership {
  readonly teamId: string;
  readonly slug: string;
  readonly role: Role;
  readonly fromSso: boolean;
}

const userSelect = { id: true, email: true, name: true, role: true, disabledAt: true } as const;

@Injectable()
export class OidcRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  async saveLoginState(input: {
    state: string;
    codeVerifier: string;
    nonce: string;
    returnTo: string;
  }): Promise<void> {
    await this.prisma.oidcLoginState.create({ data: input });
  }

  // Old states are swept whenever a login starts: cheap on the created_at index, and every replica helps.
  async sweepLoginStates(): Promise<number> {
    return this.prisma.$executeRaw`
      DELETE FROM oidc_login_states
      WHERE created_at < now() - make_interval(mins => ${LOGIN_STATE_TTL_MINUTES})`;
  }

  // Deletes and returns in one statement, so of two callbacks with one state only one gets it. Age is
  // judged by the database clock, the one that stamped created_at.
  async consumeLoginState(state: string): Promise<ConsumedLoginState | null> {
    const rows = await this.prisma.$queryRaw<
      Array<{ code_verifier: string; nonce: string; return_to: string; expired: boolean }>
    >`
      DELETE FROM oidc_login_states WHERE state = ${state}
      RETURNING code_verifier, nonce, return_to,
        created_at < now() - make_interval(mins => ${LOGIN_STATE_TTL_MINUTES}) AS expired`;
    const row = rows[0];
    return row
      ? { codeVerifier: row.code_verifier, nonce: row.nonce, returnTo: row.return_to, expired: row.expired }
      : null;
  }

  async findUserByIdentity(issuer: string, subject: string, tx: Tx): Promise<SsoUser | null> {
    const identity = await tx.oidcIdentity.findUnique({
      where: { issuer_subject: { issuer, subject } },
      select: { user: { select: userSelect } },
    });
    return identity?.user ?? null;
  }

  findUserByEmail(email: string, tx: Tx): Promise<SsoUser | null> {
    return tx.user.findUnique({ where: { email }, select: userSelect });
  }

  async emailTaken(email: string, exceptUserId: string, tx: Tx): Promise<boolean> {
    return (await tx.user.count({ where: { email, id: { not: exceptUserId } } })) > 0;
  }

  // Another subject of the same provider already linked to this user: the provider reassigned the e-mail.
  async otherSubjectLinked(userId: string, issuer: string, subject: string, tx: Tx): Promise<boolean> {
    return (await tx.oidcIdentity.count({ where: { userId, issuer, subject: { not: subject } } })) > 0;
  }

  createUser(
    input: { email: string; name: string; role: Role; lastLoginAt: Date },
    tx: Tx,
  ): Promise<SsoUser> {
    return tx.user.create({ data: { ...input, passwordHash: null }, select: userSelect });
  }

  updateUser(
    id: string,
    data: { email?: string; name?: string; role?: Role; lastLoginAt?: Date },
    tx: Tx,
  ): Promise<SsoUser> {
    return tx.user.update({ where: { id }, data, select: userSelect });
  }

  async linkIdentity(userId: string, issuer: string, subject: string, tx: Tx): Promise<void> {
    await tx.oidcIdentity.create({ data: { userId, issuer, subject } });
  }

  teamsBySlug(slugs: readonly string[], tx: Tx): Promise<Array<{ id: string; slug: string }>> {
    if (slugs.length === 0) return Promise.resolve([]);
    return tx.team.findMany({ where: { slug: { in: [...slugs] } }, select: { id: true, slug: true } });
  }

  async membershipsOf(userId: string, tx: Tx): Promise<SsoMembership[]> {
    const rows = await tx.teamMembership.findMany({
      where: { userId },
      select: { teamId: true, role: true, fromSso: true, team: { select: { slug: true } } },
      orderBy: { team: { slug: 'asc' } },
    });
    return rows.map((row) => ({
      teamId: row.teamId,
      slug: row.team.slug,
      role: row.role,
      fromSso: row.fromSso,
    }));
  }

  async applyMembershipPlan(
    userId: string,
    plan: {
      create: ReadonlyArray<{ teamId: string; role: Role }>;
      update: ReadonlyArray<{ teamId: string; role: Role }>;
      remove: readonly string[];
    },
    tx: Tx,
  ): Promise<void> {
    if (plan.create.length) {
      await tx.teamMembership.createMany({
        data: plan.create.map(({ teamId, role }) => ({ teamId, userId, role, fromSso: true })),
      });
    }
    for (const { teamId, role } of plan.update) {
      // fromSso in the filter: a membership an admin took over in the meantime stays theirs.
      await tx.teamMembership.updateMany({ where: { teamId, userId, fromSso: true }, data: { role } });
    }
    if (plan.remove.length) {
      await tx.teamMembership.deleteMany({
        where: { userId, fromSso: true, teamId: { in: [...plan.remove] } },
      });
    }
  }
}
