import { Inject, Injectable } from '@nestjs/common';
import type { EnvironmentGrant, GrantAction, Role, Team } from '@flightdeck/contracts';
import { AuditService, type RequestMeta } from '../audit/audit.service.js';
import { ConflictError, NotFoundError } from '../common/errors.js';
import { PrismaService, type Tx } from '../database/prisma.service.js';
import { Prisma } from '../generated/prisma/client.js';
import { actorOf, type Principal } from './principal.js';

const teamInclude = {
  memberships: {
    include: { user: { select: { id: true, name: true, email: true } } },
    orderBy: { createdAt: 'asc' },
  },
  services: { select: { slug: true }, orderBy: { slug: 'asc' } },
} satisfies Prisma.TeamInclude;

type TeamRow = Prisma.TeamGetPayload<{ include: typeof teamInclude }>;

const grantInclude = {
  environment: { select: { slug: true } },
  user: { select: { id: true, name: true, email: true } },
  team: { select: { id: true, slug: true, name: true } },
} satisfies Prisma.EnvironmentGrantInclude;

type GrantRow = Prisma.EnvironmentGrantGetPayload<{ include: typeof grantInclude }>;

export function mapTeam(row: TeamRow): Team {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    members: row.memberships.map((m) => ({
      userId: m.user.id,
      name: m.user.name,
      email: m.user.email,
      role: m.role,
    })),
    serviceSlugs: row.services.map((s) => s.slug),
    createdAt: row.createdAt.toISOString(),
  };
}

export function mapGrant(row: GrantRow): EnvironmentGrant {
  return {
    id: row.id,
    environmentSlug: row.environment.slug,
    action: row.action,
    user: row.user,
    team: row.team,
    createdAt: row.createdAt.toISOString(),
  };
}

// Teams, their members, and the grants that narrow an environment.
@Injectable()
export class TeamsService {
  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  async list(): Promise<{ items: Team[] }> {
    const rows = await this.prisma.team.findMany({ include: teamInclude, orderBy: { slug: 'asc' } });
    return { items: rows.map(mapTeam) };
  }

  async create(
    principal: Principal,
    input: { slug: string; name: string },
    meta: RequestMeta,
  ): Promise<Team> {
    try {
      return await this.prisma.$transaction(async (tx) => {
        const team = await tx.team.create({ data: input, include: teamInclude });
        await this.audit.record(tx, {
          actor: actorOf(principal),
          action: 'team.create',
          outcome: 'success',
          target: { type: 'team', id: team.id },
          request: meta,
          after: mapTeam(team),
        });
        return mapTeam(team);
      });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        throw new ConflictError('TEAM_EXISTS', `A team with slug "${input.slug}" already exists`);
      }
      throw error;
    }
  }

  async setMember(
    principal: Principal,
    slug: string,
    userId: string,
    role: Role,
    meta: RequestMeta,
  ): Promise<Team> {
    return this.prisma.$transaction(async (tx) => {
      const team = await this.requireTeam(slug, tx);
      const user = await tx.user.findUnique({ where: { id: userId }, select: { id: true } });
      if (!user) throw new NotFoundError('USER_NOT_FOUND', `No user with id "${userId}"`);
      const before = await tx.teamMembership.findUnique({
        where: { teamId_userId: { teamId: team.id, userId } },
      });
      // Set by hand: an SSO group sync will leave it alone from now on.
      await tx.teamMembership.upsert({
        where: { teamId_userId: { teamId: team.id, userId } },
        create: { teamId: team.id, userId, role },
        update: { role, fromSso: false },
      });
      const after = await this.requireTeam(slug, tx);
      await this.audit.record(tx, {
        actor: actorOf(principal),
        action: 'team.member.set',
        outcome: 'success',
        target: { type: 'team', id: team.id },
        request: meta,
        before: before ? { userId, role: before.role } : null,
        after: { userId, role },
      });
      return mapTeam(after);
    });
  }

  async removeMember(principal: Principal, slug: string, userId: string, meta: RequestMeta): Promise<Team> {
    return this.prisma.$transaction(async (tx) => {
      const team = await this.requireTeam(slug, tx);
      const membership = await tx.teamMembership.findUnique({
        where: { teamId_userId: { teamId: team.id, userId } },
      });
      if (!membership) throw new NotFoundError('MEMBER_NOT_FOUND', `That user is not in team "${slug}"`);
      await tx.teamMembership.delete({ where: { teamId_userId: { teamId: team.id, userId } } });
      await this.audit.record(tx, {
        actor: actorOf(principal),
        action: 'team.member.remove',
        outcome: 'success',
        target: { type: 'team', id: team.id },
        request: meta,
        before: { userId, role: membership.role },
      });
      return mapTeam(await this.requireTeam(slug, tx));
    });
  }

  async listGrants(environmentSlug: string): Promise<{ items: EnvironmentGrant[] }> {
    const environment = await this.requireEnvironment(environmentSlug, this.prisma);
    const rows = await this.prisma.environmentGrant.findMany({
      where: { environmentId: environment.id },
      include: grantInclude,
      orderBy: [{ action: 'asc' }, { createdAt: 'asc' }],
    });
    return { items: rows.map(mapGrant) };
  }

  async createGrant(
    principal: Principal,
    environmentSlug: string,
    input: { action: GrantAction; userId?: string; teamSlug?: string },
    meta: RequestMeta,
  ): Promise<EnvironmentGrant> {
    return this.prisma.$transaction(async (tx) => {
      const environment = await this.requireEnvironment(environmentSlug, tx);
      const teamId = input.teamSlug ? (await this.requireTeam(input.teamSlug, tx)).id : null;
      const userId = input.userId ?? null;
      if (userId && !(await tx.user.findUnique({ where: { id: userId }, select: { id: true } }))) {
        throw new NotFoundError('USER_NOT_FOUND', `No user with id "${userId}"`);
      }
      const duplicate = await tx.environmentGrant.findFirst({
        where: { environmentId: environment.id, action: input.action, userId, teamId },
      });
      if (duplicate) throw new ConflictError('GRANT_EXISTS', 'That grant already exists');
      const grant = await tx.environmentGrant.create({
        data: { environmentId: environment.id, action: input.action, userId, teamId },
        include: grantInclude,
      });
      await this.audit.record(tx, {
        actor: actorOf(principal),
        action: 'environment.grant.create',
        outcome: 'success',
        target: { type: 'environment', id: environment.id },
        request: meta,
        after: mapGrant(grant),
      });
      return mapGrant(grant);
    });
  }

  async deleteGrant(principal: Principal, id: string, meta: RequestMeta): Promise<EnvironmentGrant> {
    return this.prisma.$transaction(async (tx) => {
      const grant = await tx.environmentGrant.findUnique({ where: { id }, include: grantInclude });
      if (!grant) throw new NotFoundError('GRANT_NOT_FOUND', `No environment grant with id "${id}"`);
      await tx.environmentGrant.delete({ where: { id } });
      await this.audit.record(tx, {
        actor: actorOf(principal),
        action: 'environment.grant.delete',
        outcome: 'success',
        target: { type: 'environment', id: grant.environmentId },
        request: meta,
        before: mapGrant(grant),
      });
      return mapGrant(grant);
    });
  }

  private async requireTeam(slug: string, tx: Tx): Promise<TeamRow> {
    const team = await tx.team.findUnique({ where: { slug }, include: teamInclude });
    if (!team) throw new NotFoundError('TEAM_NOT_FOUND', `No team with slug "${slug}"`);
    return team;
  }

  private async requireEnvironment(slug: string, tx: Tx) {
    const environment = await tx.environment.findUnique({ where: { slug } });
    if (!environment) throw new NotFoundError('ENVIRONMENT_NOT_FOUND', `No environment with slug "${slug}"`);
    return environment;
  }
}
