import { Inject, Injectable } from '@nestjs/common';
import type { GrantAction, Permission } from '@flightdeck/contracts';
import { AuditService, type RequestMeta } from '../audit/audit.service.js';
import { ForbiddenError } from '../common/errors.js';
import { PrismaService, type Tx } from '../database/prisma.service.js';
import { mayOnService, roleOnService } from './authz.rules.js';
import { actorOf, type Principal } from './principal.js';

export interface ServiceScope {
  readonly id: string;
  readonly slug: string;
  readonly teamId: string | null;
}

export interface EnvironmentScope {
  readonly id: string;
  readonly slug: string;
}

const GRANT_FOR: Partial<Record<Permission, GrantAction>> = {
  'deployments:write': 'deploy',
  'approvals:decide': 'approve',
};

type Grant = { readonly userId: string | null; readonly teamId: string | null };

// The role on the service's team, then any narrowing of the environment by its grants.
function refusalGiven(
  principal: Principal,
  permission: Permission,
  target: { service: ServiceScope; environment?: EnvironmentScope },
  grantsOf: (environmentId: string) => readonly Grant[],
): string | null {
  const { service, environment } = target;
  if (!mayOnService(principal, permission, service.teamId)) {
    const role = roleOnService(principal, service.teamId);
    return principal.scopes && !principal.scopes.includes('admin') && role !== 'viewer'
      ? `This token's scopes (${principal.scopes.join(', ')}) do not include ${permission}`
      : `Your role on ${service.slug} is ${role}, which does not allow ${permission}`;
  }
  const action = GRANT_FOR[permission];
  if (!action || !environment || principal.user.role === 'admin') return null;
  const grants = grantsOf(environment.id);
  if (grants.length === 0) return null;
  const teams = new Set(principal.memberships.map((m) => m.teamId));
  const granted = grants.some(
    (g) => g.userId === principal.user.id || (g.teamId !== null && teams.has(g.teamId)),
  );
  return granted
    ? null
    : `Only granted people and teams may ${action} in ${environment.slug}, and you are not one of them`;
}

// Object-level checks: the role on the service's team, then any narrowing of the environment.
// Every refusal is written to the audit ledger before it is thrown.
@Injectable()
export class AuthzService {
  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  async assertOnService(
    principal: Principal,
    permission: Permission,
    target: { service: ServiceScope; environment?: EnvironmentScope; type: string; id: string },
    meta: RequestMeta,
    tx: Tx = this.prisma,
  ): Promise<void> {
    const refusal = await this.refusal(principal, permission, target, tx);
    if (!refusal) return;
    await this.audit.recordAlone({
      actor: actorOf(principal),
      action: 'access.denied',
      outcome: 'denied',
      target: { type: target.type, id: target.id },
      reason: `${permission}: ${refusal}`,
      request: meta,
    });
    throw new ForbiddenError('FORBIDDEN', refusal, { permission, service: target.service.slug });
  }

  // Why the principal may not do this on the object (null when they may), without auditing: for
  // reads that say whether a button would work.
  whyNot(
    principal: Principal,
    permission: Permission,
    target: { service: ServiceScope; environment?: EnvironmentScope },
    tx: Tx = this.prisma,
  ): Promise<string | null> {
    return this.refusal(principal, permission, target, tx);
  }

  // `whyNot` for many objects at once, the environments' grants read in one query.
  async whyNotMany(
    principal: Principal,
    permission: Permission,
    targets: ReadonlyArray<{ service: ServiceScope; environment?: EnvironmentScope }>,
    tx: Tx = this.prisma,
  ): Promise<Array<string | null>> {
    const action = GRANT_FOR[permission];
    const environmentIds = [...new Set(targets.flatMap((target) => target.environment?.id ?? []))];
    const grants =
      action && environmentIds.length > 0 && principal.user.role !== 'admin'
        ? await tx.environmentGrant.findMany({
            where: { environmentId: { in: environmentIds }, action },
            select: { environmentId: true, userId: true, teamId: true },
          })
        : [];
    return targets.map((target) =>
      refusalGiven(principal, permission, target, (environmentId) =>
        grants.filter((grant) => grant.environmentId === environmentId),
      ),
    );
  }

  private async refusal(
    principal: Principal,
    permission: Permission,
    target: { service: ServiceScope; environment?: EnvironmentScope },
    tx: Tx,
  ): Promise<string | null> {
    const action = GRANT_FOR[permission];
    const grants =
      action &&
      target.environment &&
      principal.user.role !== 'admin' &&
      mayOnService(principal, permission, target.service.teamId)
        ? await tx.environmentGrant.findMany({
            where: { environmentId: target.environment.id, action },
            select: { userId: true, teamId: true },
          })
        : [];
    return refusalGiven(principal, permission, target, () => grants);
  }
}
