import { Inject, Injectable } from '@nestjs/common';
import type { ApprovalPolicy, PutApprovalPolicyBody } from '@flightdeck/contracts';
import { AuditService, type RequestMeta } from '../audit/audit.service.js';
import { CatalogService } from '../catalog/catalog.service.js';
import { NotFoundError, ValidationError } from '../common/errors.js';
import { PrismaService } from '../database/prisma.service.js';
import { GateFacts } from '../deployments/gate-facts.js';
import { WorkSignal } from '../deployments/work-signal.js';
import { actorOf, type Principal } from '../identity/principal.js';
import { type ApprovalPolicyRow, ApprovalsRepository } from './approvals.repository.js';
import { assertValidPolicyWindows, mapPolicyWindow, windowsOf } from './policy-windows.js';

export function mapPolicy(
  row: ApprovalPolicyRow | null,
  scope: { environmentSlug: string; stageId: string | null },
): ApprovalPolicy {
  if (!row) {
    return {
      source: 'none',
      environmentSlug: scope.environmentSlug,
      stageId: scope.stageId,
      requiredApprovals: 0,
      approvers: { roles: [], teams: [], users: [] },
      distinctTeams: false,
      selfApprovalBanned: true,
      reasonRequiredToApprove: false,
      expiryMinutes: null,
      waitMinutes: 0,
      approveRollbacks: false,
      windows: [],
      updatedBy: null,
      updatedAt: null,
    };
  }
  return {
    source: row.stageId ? 'stage' : 'environment',
    environmentSlug: scope.environmentSlug,
    stageId: scope.stageId,
    requiredApprovals: row.requiredApprovals,
    approvers: { roles: row.approverRoles, teams: row.approverTeams, users: row.approverUsers },
    distinctTeams: row.distinctTeams,
    selfApprovalBanned: row.selfApprovalBanned,
    reasonRequiredToApprove: row.reasonRequiredToApprove,
    expiryMinutes: row.expiryMinutes,
    waitMinutes: row.waitMinutes,
    approveRollbacks: row.approveRollbacks,
    windows: windowsOf(row.windows).map(mapPolicyWindow),
    updatedBy: row.updatedBy,
    updatedAt: row.updatedAt.toISOString(),
  };
}

// Approval policies per environment, replaced per stage by a stage's own. Every change is audited.
@Injectable()
export class ApprovalPoliciesService {
  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(ApprovalsRepository) private readonly approvals: ApprovalsRepository,
    @Inject(CatalogService) private readonly catalog: CatalogService,
    @Inject(GateFacts) private readonly gates: GateFacts,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(WorkSignal) private readonly work: WorkSignal,
  ) {}

  async getForEnvironment(slug: string): Promise<ApprovalPolicy> {
    const environment = await this.catalog.requireEnvironment(slug);
    const row = await this.approvals.environmentPolicy(environment.id);
    return mapPolicy(row, { environmentSlug: environment.slug, stageId: null });
  }

  async putForEnvironment(
    principal: Principal,
    slug: string,
    body: PutApprovalPolicyBody,
    meta: RequestMeta,
  ): Promise<ApprovalPolicy> {
    const environment = await this.catalog.requireEnvironment(slug);
    assertValidPolicyWindows(body.windows);
    await this.assertKnownApprovers(body);
    const scope = { environmentSlug: environment.slug, stageId: null };
    const policy = await this.prisma.$transaction(async (tx) => {
      const before = await this.approvals.environmentPolicy(environment.id, tx);
      const row = await this.approvals.upsertPolicy(
        { environmentId: environment.id },
        body,
        principal.user.email,
        tx,
      );
      const after = mapPolicy(row, scope);
      await this.audit.record(tx, {
        actor: actorOf(principal),
        action: 'approval_policy.update',
        outcome: 'success',
        target: { type: 'environment', id: environment.id },
        request: meta,
        before: before ? mapPolicy(before, scope) : null,
        after,
      });
      return after;
    });
    // Waiting deployments may pass now: let the runner look again.
    this.work.notify();
    return policy;
  }

  async getForStage(stageId: string): Promise<ApprovalPolicy> {
    const stage = await this.gates.requireStage(stageId);
    const row = await this.approvals.effectivePolicy(stage);
    return mapPolicy(row, { environmentSlug: stage.environment.slug, stageId: stage.id });
  }

  async putForStage(
    principal: Principal,
    stageId: string,
    body: PutApprovalPolicyBody,
    meta: RequestMeta,
  ): Promise<ApprovalPolicy> {
    const stage = await this.gates.requireStage(stageId);
    assertValidPolicyWindows(body.windows);
    await this.assertKnownApprovers(body);
    const scope = { environmentSlug: stage.environment.slug, stageId: stage.id };
    const policy = await this.prisma.$transaction(async (tx) => {
      const before = await this.approvals.effectivePolicy(stage, tx);
      const row = await this.approvals.upsertPolicy({ stageId: stage.id }, body, principal.user.email, tx);
      const after = mapPolicy(row, scope);
      await this.audit.record(tx, {
        actor: actorOf(principal),
        action: 'approval_policy.update',
        outcome: 'success',
        target: { type: 'stage', id: stage.id },
        request: meta,
        before: before ? mapPolicy(before, scope) : null,
        after,
      });
      return after;
    });
    this.work.notify();
    return policy;
  }

  async deleteForStage(principal: Principal, stageId: string, meta: RequestMeta): Promise<ApprovalPolicy> {
    const stage = await this.gates.requireStage(stageId);
    const scope = { environmentSlug: stage.environment.slug, stageId: stage.id };
    const policy = await this.prisma.$transaction(async (tx) => {
      const own = await this.approvals.stagePolicy(stage.id, tx);
      if (!own) {
        throw new NotFoundError(
          'STAGE_POLICY_NOT_FOUND',
          `${stage.service.slug} in ${stage.environment.slug} has no approval policy of its own`,
        );
      }
      await this.approvals.deleteStagePolicy(stage.id, tx);
      const after = mapPolicy(await this.approvals.environmentPolicy(stage.environmentId, tx), scope);
      await this.audit.record(tx, {
        actor: actorOf(principal),
        action: 'approval_policy.delete',
        outcome: 'success',
        target: { type: 'stage', id: stage.id },
        request: meta,
        before: mapPolicy(own, scope),
        after,
      });
      return after;
    });
    this.work.notify();
    return policy;
  }

  // Named teams and people must exist: a typo would silently leave nobody able to approve.
  private async assertKnownApprovers(body: PutApprovalPolicyBody): Promise<void> {
    const { teams, users } = body.approvers;
    const knownTeams = new Set((await this.approvals.existingTeams(teams)).map((team) => team.slug));
    const knownUsers = new Set((await this.approvals.existingUsers(users)).map((user) => user.email));
    const issues = [
      ...teams.flatMap((slug, index) =>
        knownTeams.has(slug) ? [] : [{ field: `approvers.teams.${index}`, message: `no team "${slug}"` }],
      ),
      ...users.flatMap((email, index) =>
        knownUsers.has(email) ? [] : [{ field: `approvers.users.${index}`, message: `no user "${email}"` }],
      ),
    ];
    if (issues.length > 0) {
      throw new ValidationError(
        'UNKNOWN_APPROVERS',
        `Unknown approvers: ${issues.map((issue) => `${issue.field} (${issue.message})`).join(', ')}`,
        { issues },
      );
    }
  }
}
