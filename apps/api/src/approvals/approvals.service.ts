import { Inject, Injectable } from '@nestjs/common';
import type { Approval, ApprovalRequest, Gate } from '@flightdeck/contracts';
import { AuditService, type RequestMeta } from '../audit/audit.service.js';
import { groupBy } from '../common/group-by.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../common/errors.js';
import { PrismaService, type Tx } from '../database/prisma.service.js';
import { DeploymentRequestsService, lockStages } from '../deployments/deployment-requests.service.js';
import { mapDeployment } from '../deployments/deployments.mappers.js';
import { deploymentInclude, type DeploymentRow } from '../deployments/deployments.repository.js';
import { GateFacts, stageForGatesInclude, type StageForGates } from '../deployments/gate-facts.js';
import type { Prisma } from '../generated/prisma/client.js';
import { DeploymentTransitions } from '../deployments/transitions.service.js';
import { WorkSignal } from '../deployments/work-signal.js';
import { roleOnService } from '../identity/authz.rules.js';
import { AuthzService } from '../identity/authz.service.js';
import { actorOf, type Principal } from '../identity/principal.js';
import { mapPolicy } from './approval-policies.service.js';
import {
  approvalExpiresAt,
  approvalsGate,
  type Candidate,
  countedApprovals,
  isValidApproval,
  needsApproval,
  type PolicyRules,
  refusalFor,
  type RequestFacts,
  teamFor,
} from './approval-rules.js';
import {
  type ApprovalPolicyRow,
  ApprovalsRepository,
  decisionFactOf,
  type DecisionRow,
  rulesOf,
} from './approvals.repository.js';
import { recordDeploymentNotification } from '../notifications/outbox.js';

export type Decision = 'approve' | 'reject';
export type InboxScope = 'mine' | 'pending' | 'all';

const PAST_TENSE: Record<Decision, string> = { approve: 'approved', reject: 'rejected' };
// A deployment as the inbox reads it: what the list shows, its whole release (the gates' candidate) and
// its stage as the gates need it, in the same read.
const inboxInclude = {
  ...deploymentInclude,
  release: true,
  stage: { include: stageForGatesInclude },
} as const satisfies Prisma.DeploymentInclude;
type InboxRow = Prisma.DeploymentGetPayload<{ include: typeof inboxInclude }>;
// How many decided deployments `all` shows besides the waiting ones.
const DECIDED_SHOWN = 50;

function requestFacts(
  deployment: { requestedBy: string; createdAt: Date; releaseId: string },
  release: { commitSha: string; author: string | null },
  decisions: readonly DecisionRow[],
): RequestFacts {
  return {
    requestedBy: deployment.requestedBy,
    requestedAt: deployment.createdAt,
    releaseId: deployment.releaseId,
    commitSha: release.commitSha,
    releaseAuthor: release.author,
    decisions: decisions.map(decisionFactOf),
  };
}

// Why an approval does not count (at `at`: now while pending, else when it stopped waiting).
function notCounted(
  row: DecisionRow,
  request: RequestFacts,
  expiresAt: Date | null,
  at: Date,
): Approval['notCounted'] {
  if (row.decision !== 'approve') return null;
  if (row.releaseId !== request.releaseId) return 'other_release';
  if (row.commitSha !== request.commitSha) return 'other_commit';
  return expiresAt && expiresAt <= at ? 'expired' : null;
}

function mapDecision(
  row: DecisionRow,
  policy: PolicyRules | null,
  request: RequestFacts,
  now: Date,
): Approval {
  const expiresAt = policy ? approvalExpiresAt(policy, row.createdAt) : null;
  return {
    id: row.id,
    deploymentId: row.deploymentId,
    decision: row.decision,
    by: row.email,
    team: row.team?.slug ?? null,
    comment: row.comment,
    releaseId: row.releaseId,
    releaseVersion: row.release.version,
    commitSha: row.commitSha,
    via: row.via === 'token' ? 'token' : 'session',
    createdAt: row.createdAt.toISOString(),
    expiresAt: expiresAt?.toISOString() ?? null,
    valid: !!policy && isValidApproval(policy, decisionFactOf(row), request, now),
    notCounted: notCounted(row, request, expiresAt, now),
  };
}

const policyOf = (row: ApprovalPolicyRow | null | undefined): PolicyRules | null =>
  row ? rulesOf(row) : null;

// When a deployment stopped waiting for approval: queued, or else finished (rejected, expired…).
function decidedAt(row: DeploymentRow, now: Date): Date {
  return row.status === 'pending' ? now : (row.queuedAt ?? row.finishedAt ?? now);
}

// Decisions on deployments waiting for approval, and the inbox of what waits.
@Injectable()
export class ApprovalsService {
  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(ApprovalsRepository) private readonly approvals: ApprovalsRepository,
    @Inject(GateFacts) private readonly gates: GateFacts,
    @Inject(DeploymentRequestsService) private readonly requests: DeploymentRequestsService,
    @Inject(DeploymentTransitions) private readonly transitions: DeploymentTransitions,
    @Inject(AuthzService) private readonly authz: AuthzService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(WorkSignal) private readonly work: WorkSignal,
  ) {}

  async decide(
    principal: Principal,
    id: string,
    decision: Decision,
    comment: string,
    meta: RequestMeta,
  ): Promise<ApprovalRequest> {
    const deployment = await this.prisma.deployment.findUnique({
      where: { id },
      select: { stageId: true, requestedBy: true, createdAt: true, releaseId: true, release: true },
    });
    if (!deployment) throw new NotFoundError('DEPLOYMENT_NOT_FOUND', `No deployment with id "${id}"`);
    const stage = await this.gates.requireStage(deployment.stageId);
    await this.authz.assertOnService(
      principal,
      'approvals:decide',
      { service: stage.service, environment: stage.environment, type: 'deployment', id },
      meta,
    );
    const person = await this.candidate(principal, stage);
    // Refusals under the policy are written to the ledger before the 403, outside the transaction.
    const before = await this.approvals.effectivePolicy(stage);
    if (before && needsApproval(rulesOf(before))) {
      const refusal = refusalFor(rulesOf(before), requestFacts(deployment, deployment.release, []), person);
      if (refusal) {
        await this.audit.recordAlone({
          actor: actorOf(principal),
          action: 'access.denied',
          outcome: 'denied',
          target: { type: 'deployment', id },
          reason: `approvals:decide: ${refusal.message}`,
          request: meta,
        });
        throw new ForbiddenError(refusal.code, refusal.message);
      }
      if (decision === 'approve' && before.reasonRequiredToApprove && comment.length === 0) {
        throw new ValidationError('COMMENT_REQUIRED', 'This policy needs a comment to approve', {
          issues: [{ field: 'comment', message: 'is required to approve under this policy' }],
        });
      }
    }

    const actor = actorOf(principal);
    const moved = await this.prisma.$transaction(async (tx) => {
      // Lock order (ADR 0005): the stage first, then the deployment and state rows; the audit last.
      await lockStages(tx, [stage.id]);
      const current = await tx.deployment.findUniqueOrThrow({
        where: { id },
        select: {
          status: true,
          kind: true,
          breakGlass: true,
          requestedBy: true,
          createdAt: true,
          releaseId: true,
          release: true,
        },
      });
      const policyRow = await this.approvals.effectivePolicy(stage, tx);
      const policy = policyRow ? rulesOf(policyRow) : null;
      if (current.status !== 'pending') {
        throw new ConflictError(
          'DEPLOYMENT_NOT_AWAITING_APPROVAL',
          `This deployment is ${current.status}; it no longer waits for approval`,
          { status: current.status },
        );
      }
      if (!policy || !needsApproval(policy)) {
        throw new ConflictError(
          'DEPLOYMENT_NOT_AWAITING_APPROVAL',
          `${stage.service.slug} in ${stage.environment.slug} needs no approval; this deployment waits for its other gates`,
          { status: current.status },
        );
      }
      const decisions = await this.approvals.decisions(id, tx);
      const mine = decisions.find((row) => row.userId === principal.user.id);
      if (mine) {
        throw new ConflictError(
          'ALREADY_DECIDED',
          `You already ${PAST_TENSE[mine.decision]} this deployment at ${mine.createdAt.toISOString()}; one decision per person`,
          { decision: mine.decision, at: mine.createdAt.toISOString() },
        );
      }
      const facts = requestFacts(current, current.release, decisions);
      const team = teamFor(policy, person, countedApprovals(policy, facts, new Date()).valid);
      await this.approvals.createDecision(
        {
          deploymentId: id,
          releaseId: current.releaseId,
          commitSha: current.release.commitSha,
          decision,
          userId: principal.user.id,
          email: principal.user.email,
          teamId: team?.id ?? null,
          comment,
          via: principal.via,
        },
        tx,
      );
      // The gates as they stand with this decision, read before the first audit event takes its lock.
      const gates =
        decision === 'approve'
          ? await this.gates.evaluate(await this.gates.requireStage(stage.id, tx), current.release, {
              tx,
              self: id,
              action: current.kind,
            })
          : [];
      await this.audit.record(tx, {
        actor,
        action: `approval.${decision}`,
        outcome: 'success',
        target: { type: 'deployment', id },
        reason: comment || null,
        request: meta,
        after: {
          decision,
          release: current.release.version,
          releaseId: current.releaseId,
          commitSha: current.release.commitSha,
          team: team?.slug ?? null,
          comment,
        },
      });
      await recordDeploymentNotification(tx, 'approval.decided', id, {
        decision: { decision, by: principal.user.email, team: team?.slug ?? null, comment },
      });
      if (decision === 'reject') {
        const sentence = `Rejected by ${principal.user.email}: ${comment}`;
        return this.transitions.apply(tx, {
          id,
          from: 'pending',
          to: 'rejected',
          message: sentence,
          actor,
          request: meta,
          patch: { error: sentence },
        });
      }
      // The last approval needed starts it, in this same transaction.
      return this.requests.queueIfClear(tx, id, gates, current.breakGlass, actor, meta);
    });
    const row =
      moved ??
      (await this.prisma.deployment.findUniqueOrThrow({ where: { id }, include: deploymentInclude }));
    await this.transitions.publish(row);
    if (moved?.status === 'queued') this.work.notify();
    return this.get(principal, id);
  }

  // `now` is a parameter so that tests can read one row and the inbox at the same instant.
  async get(principal: Principal, id: string, now = new Date()): Promise<ApprovalRequest> {
    const row = await this.prisma.deployment.findUnique({ where: { id }, include: inboxInclude });
    if (!row) throw new NotFoundError('DEPLOYMENT_NOT_FOUND', `No deployment with id "${id}"`);
    const [request] = await this.describe(principal, [row], false, now);
    return request!;
  }

  async inbox(
    principal: Principal,
    scope: InboxScope,
    now = new Date(),
  ): Promise<{ items: ApprovalRequest[] }> {
    const pending = await this.prisma.deployment.findMany({
      where: { status: 'pending' },
      include: inboxInclude,
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    const decided =
      scope === 'all'
        ? await this.prisma.deployment.findMany({
            where: { status: { not: 'pending' }, approvals: { some: {} } },
            include: inboxInclude,
            orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
            take: DECIDED_SHOWN,
          })
        : [];
    const items = await this.describe(principal, [...pending, ...decided], true, now);
    return { items: scope === 'mine' ? items.filter((item) => item.canDecide) : items };
  }

  // Each deployment as one person sees it: the policy, the gates, the decisions, and whether they may
  // decide. Everything is read for all rows at once (a fixed number of queries however many wait),
  // then judged row by row with the same rules and the same gate evaluator as one deployment.
  private async describe(
    principal: Principal,
    rows: readonly InboxRow[],
    onlyAwaiting: boolean,
    now: Date,
  ): Promise<ApprovalRequest[]> {
    const policies = await this.approvals.effectivePolicies([
      ...new Map(rows.map((row) => [row.stageId, row.stage])).values(),
    ]);
    const shown = rows.filter(
      (row) =>
        !(onlyAwaiting && !needsApproval(policyOf(policies.get(row.stageId))) && row.status === 'pending'),
    );
    if (shown.length === 0) return [];
    const decisions = groupBy(
      await this.approvals.decisionsFor(shown.map((row) => row.id)),
      (decision) => decision.deploymentId,
    );
    const waiting = shown.filter((row) => row.status === 'pending');
    const evaluated = await this.gates.evaluateMany(
      waiting.map((row) => ({ stage: row.stage, candidate: row.release, self: row.id, action: row.kind })),
      { now },
    );
    const gates = new Map(waiting.map((row, index) => [row.id, evaluated[index]!]));
    const teams = await this.approvals.teamsOf(principal.user.id);
    const refusals = await this.authz.whyNotMany(
      principal,
      'approvals:decide',
      shown.map((row) => ({ service: row.stage.service, environment: row.stage.environment })),
    );
    return shown.map((row, index) => {
      const { stage } = row;
      const policyRow = policies.get(row.stageId) ?? null;
      const policy = policyOf(policyRow);
      const own = decisions.get(row.id) ?? [];
      const facts = requestFacts(row, row.release, own);
      let rowGates: Gate[] = gates.get(row.id) ?? [];
      if (policy) {
        // The sentence for this reader: "you cannot approve your own deployment".
        const mine = approvalsGate({ policy, request: facts }, now, principal.user.email);
        rowGates = rowGates.map((gate) => (gate.kind === 'approvals' && mine ? mine : gate));
      }
      const person: Candidate = {
        email: principal.user.email,
        role: roleOnService(principal, stage.service.teamId),
        teams,
      };
      const whyNot = this.whyNot(principal, row, policy, facts, own, person, refusals[index] ?? null);
      return {
        // The list's release, not the whole row the gates read.
        deployment: mapDeployment({
          ...row,
          release: { id: row.release.id, version: row.release.version, commitSha: row.release.commitSha },
        }),
        policy: mapPolicy(policyRow, { environmentSlug: stage.environment.slug, stageId: stage.id }),
        gates: rowGates,
        // A finished one is judged as it stood when it stopped waiting, not as it would be now.
        approvals: own.map((decision) => mapDecision(decision, policy, facts, decidedAt(row, now))),
        approved: policy ? countedApprovals(policy, facts, decidedAt(row, now)).count : 0,
        required: policy?.requiredApprovals ?? 0,
        canDecide: whyNot === null,
        whyNot,
      };
    });
  }

  private whyNot(
    principal: Principal,
    row: DeploymentRow,
    policy: PolicyRules | null,
    facts: RequestFacts,
    decisions: readonly DecisionRow[],
    person: Candidate,
    // What the access rules say about deciding there (`AuthzService.whyNot`).
    refusal: string | null,
  ): string | null {
    if (row.status !== 'pending') return `This deployment is ${row.status}; it no longer waits for approval`;
    if (!policy || !needsApproval(policy)) return 'It needs no approval';
    const mine = decisions.find((decision) => decision.userId === principal.user.id);
    if (mine) return `You already ${PAST_TENSE[mine.decision]} it`;
    if (refusal) return refusal;
    return refusalFor(policy, facts, person)?.message ?? null;
  }

  private async candidate(principal: Principal, stage: StageForGates, tx?: Tx): Promise<Candidate> {
    return {
      email: principal.user.email,
      role: roleOnService(principal, stage.service.teamId),
      teams: await this.approvals.teamsOf(principal.user.id, tx),
    };
  }
}
