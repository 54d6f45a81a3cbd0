import { Inject, Injectable } from '@nestjs/common';
import type { PolicyWindowInput, Role } from '@flightdeck/contracts';
import { PrismaService, type Tx } from '../database/prisma.service.js';
import type { ApprovalPolicy, Prisma } from '../generated/prisma/client.js';
import type { ApprovalFacts, DecisionFact, PolicyRules } from './approval-rules.js';
import { windowsOf } from './policy-windows.js';

const policyInclude = {
  environment: { select: { slug: true } },
  stage: { select: { environment: { select: { slug: true } } } },
} satisfies Prisma.ApprovalPolicyInclude;
export type PolicyRow = Prisma.ApprovalPolicyGetPayload<{ include: typeof policyInclude }>;
export type ApprovalPolicyRow = ApprovalPolicy;

const decisionInclude = {
  team: { select: { slug: true } },
  release: { select: { version: true } },
} satisfies Prisma.ApprovalInclude;
export type DecisionRow = Prisma.ApprovalGetPayload<{ include: typeof decisionInclude }>;

// What the rules read of a policy and of a decision: the Prisma rows, or the inbox's one-query read.
export type PolicyRulesRow = Pick<
  PolicyRow,
  | 'stageId'
  | 'environmentId'
  | 'requiredApprovals'
  | 'approverRoles'
  | 'approverTeams'
  | 'approverUsers'
  | 'distinctTeams'
  | 'selfApprovalBanned'
  | 'reasonRequiredToApprove'
  | 'expiryMinutes'
  | 'waitMinutes'
  | 'approveRollbacks'
  | 'windows'
>;
export type DecisionFactRow = Pick<
  DecisionRow,
  'decision' | 'email' | 'teamId' | 'releaseId' | 'commitSha' | 'createdAt'
> & { readonly team: { readonly slug: string } | null };

export interface PolicyFields {
  readonly requiredApprovals: number;
  readonly approvers: { readonly roles: Role[]; readonly teams: string[]; readonly users: string[] };
  readonly distinctTeams: boolean;
  readonly selfApprovalBanned: boolean;
  readonly reasonRequiredToApprove: boolean;
  readonly expiryMinutes: number | null;
  readonly waitMinutes: number;
  readonly approveRollbacks: boolean;
  readonly windows: readonly PolicyWindowInput[];
}

export function rulesOf(row: PolicyRulesRow): PolicyRules {
  return {
    requiredApprovals: row.requiredApprovals,
    approvers: { roles: row.approverRoles, teams: row.approverTeams, users: row.approverUsers },
    distinctTeams: row.distinctTeams,
    selfApprovalBanned: row.selfApprovalBanned,
    reasonRequiredToApprove: row.reasonRequiredToApprove,
    expiryMinutes: row.expiryMinutes,
    waitMinutes: row.waitMinutes,
    approveRollbacks: row.approveRollbacks,
  };
}

export function decisionFactOf(row: DecisionFactRow): DecisionFact {
  return {
    decision: row.decision,
    email: row.email,
    teamId: row.teamId,
    teamSlug: row.team?.slug ?? null,
    releaseId: row.releaseId,
    commitSha: row.commitSha,
    createdAt: row.createdAt,
  };
}

// A stage's own policy replaces its environment's.
export async function findEffectivePolicy(
  tx: Tx,
  stage: { id: string; environmentId: string },
): Promise<PolicyRow | null> {
  return (
    (await tx.approvalPolicy.findUnique({ where: { stageId: stage.id }, include: policyInclude })) ??
    (await tx.approvalPolicy.findUnique({
      where: { environmentId: stage.environmentId },
      include: policyInclude,
    }))
  );
}

export function findDecisions(tx: Tx, deploymentId: string): Promise<DecisionRow[]> {
  return tx.approval.findMany({
    where: { deploymentId },
    include: decisionInclude,
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
}

// Each stage's effective policy among some rows: its own, else its environment's.
export function pickEffectivePolicies<T extends Pick<PolicyRow, 'stageId' | 'environmentId'>>(
  stages: ReadonlyArray<{ id: string; environmentId: string }>,
  rows: readonly T[],
): Map<string, T | null> {
  return new Map(
    stages.map((stage) => [
      stage.id,
      rows.find((row) => row.stageId === stage.id) ??
        rows.find((row) => row.environmentId === stage.environmentId) ??
        null,
    ]),
  );
}

// Each stage's effective policy, read in one query (no relations: one round trip).
export async function findEffectivePolicies(
  tx: Tx,
  stages: ReadonlyArray<{ id: string; environmentId: string }>,
): Promise<Map<string, ApprovalPolicyRow | null>> {
  if (stages.length === 0) return new Map();
  const rows = await tx.approvalPolicy.findMany({
    where: {
      OR: [
        { stageId: { in: stages.map((stage) => stage.id) } },
        { environmentId: { in: stages.map((stage) => stage.environmentId) } },
      ],
    },
  });
  return pickEffectivePolicies(stages, rows);
}

// The decisions on many deployments, with their team and release, in one query (Prisma reads each
// relation in a query of its own).
export async function findDecisionsFor(tx: Tx, deploymentIds: readonly string[]): Promise<DecisionRow[]> {
  if (deploymentIds.length === 0) return [];
  const rows = await tx.$queryRaw<
    Array<Omit<DecisionRow, 'team' | 'release'> & { teamSlug: string | null; releaseVersion: string }>
  >`
    SELECT a.id, a.deployment_id AS "deploymentId", a.release_id AS "releaseId", a.commit_sha AS "commitSha",
           a.decision::text AS decision, a.user_id AS "userId", a.email, a.team_id AS "teamId", a.comment, a.via,
           a.created_at AS "createdAt", t.slug AS "teamSlug", r.version AS "releaseVersion"
      FROM approvals a
      JOIN releases r ON r.id = a.release_id
      LEFT JOIN teams t ON t.id = a.team_id
     WHERE a.deployment_id = ANY(${[...deploymentIds]}::uuid[])
     ORDER BY a.created_at, a.id`;
  return rows.map(({ teamSlug, releaseVersion, ...row }) => ({
    ...row,
    team: teamSlug === null ? null : { slug: teamSlug },
    release: { version: releaseVersion },
  }));
}

// The effective policy's deployment windows, with the policy named for sentences.
export function policyWindowsOf(
  policy: PolicyRulesRow | null,
  stage: { service: { slug: string }; environment: { slug: string } },
): { policy: string; windows: PolicyWindowInput[] } | null {
  if (!policy) return null;
  const env = stage.environment.slug;
  return {
    policy: policy.stageId
      ? `${stage.service.slug}'s ${env} policy`
      : `${env.charAt(0).toUpperCase()}${env.slice(1)} policy`,
    windows: windowsOf(policy.windows),
  };
}

export async function loadPolicyWindows(
  tx: Tx,
  stage: { id: string; environmentId: string; service: { slug: string }; environment: { slug: string } },
): Promise<{ policy: string; windows: PolicyWindowInput[] } | null> {
  return policyWindowsOf(await findEffectivePolicy(tx, stage), stage);
}

// A deployment as the approval rules see it (when it exists), with its decisions.
export interface RequestRow {
  readonly requestedBy: string;
  readonly createdAt: Date;
  readonly releaseId: string;
  readonly release: { readonly commitSha: string; readonly author: string | null };
}

// Whether the approvals gates have anything to say: a policy that asks for approvals or a wait.
export function approvalGatesApply<T extends PolicyRulesRow>(policy: T | null): policy is T {
  return !!policy && !(policy.requiredApprovals === 0 && policy.waitMinutes === 0);
}

export function approvalFactsOf(
  policy: PolicyRulesRow,
  deployment: RequestRow | null,
  decisions: readonly DecisionFactRow[],
): ApprovalFacts {
  if (!deployment) return { policy: rulesOf(policy), request: null };
  return {
    policy: rulesOf(policy),
    request: {
      requestedBy: deployment.requestedBy,
      requestedAt: deployment.createdAt,
      releaseId: deployment.releaseId,
      commitSha: deployment.release.commitSha,
      releaseAuthor: deployment.release.author,
      decisions: decisions.map(decisionFactOf),
    },
  };
}

// What the gates need about approvals for one stage (and one deployment, when it exists).
export async function loadApprovalFacts(
  tx: Tx,
  stage: { id: string; environmentId: string },
  deploymentId: string | undefined,
): Promise<ApprovalFacts | null> {
  const policy = await findEffectivePolicy(tx, stage);
  if (!approvalGatesApply(policy)) return null;
  const deployment = deploymentId
    ? await tx.deployment.findUnique({
        where: { id: deploymentId },
        select: {
          requestedBy: true,
          createdAt: true,
          releaseId: true,
          release: { select: { commitSha: true, author: true } },
        },
      })
    : null;
  return approvalFactsOf(policy, deployment, deployment ? await findDecisions(tx, deploymentId!) : []);
}

@Injectable()
export class ApprovalsRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  stagePolicy(stageId: string, tx: Tx = this.prisma) {
    return tx.approvalPolicy.findUnique({ where: { stageId }, include: policyInclude });
  }

  environmentPolicy(environmentId: string, tx: Tx = this.prisma) {
    return tx.approvalPolicy.findUnique({ where: { environmentId }, include: policyInclude });
  }

  effectivePolicy(stage: { id: string; environmentId: string }, tx: Tx = this.prisma) {
    return findEffectivePolicy(tx, stage);
  }

  effectivePolicies(stages: ReadonlyArray<{ id: string; environmentId: string }>, tx: Tx = this.prisma) {
    return findEffectivePolicies(tx, stages);
  }

  upsertPolicy(
    scope: { environmentId: string } | { stageId: string },
    fields: PolicyFields,
    updatedBy: string,
    tx: Tx,
  ) {
    const data = {
      requiredApprovals: fields.requiredApprovals,
      approverRoles: fields.approvers.roles,
      approverTeams: fields.approvers.teams,
      approverUsers: fields.approvers.users,
      distinctTeams: fields.distinctTeams,
      selfApprovalBanned: fields.selfApprovalBanned,
      reasonRequiredToApprove: fields.reasonRequiredToApprove,
      expiryMinutes: fields.expiryMinutes,
      waitMinutes: fields.waitMinutes,
      approveRollbacks: fields.approveRollbacks,
      windows: fields.windows.map((window) => ({ ...window })),
      updatedBy,
    };
    return tx.approvalPolicy.upsert({
      where: scope,
      create: { ...scope, ...data },
      update: data,
      include: policyInclude,
    });
  }

  deleteStagePolicy(stageId: string, tx: Tx) {
    return tx.approvalPolicy.delete({ where: { stageId } });
  }

  decisions(deploymentId: string, tx: Tx = this.prisma) {
    return findDecisions(tx, deploymentId);
  }

  decisionsFor(deploymentIds: readonly string[], tx: Tx = this.prisma) {
    return findDecisionsFor(tx, deploymentIds);
  }

  createDecision(data: Prisma.ApprovalUncheckedCreateInput, tx: Tx) {
    return tx.approval.create({ data, include: decisionInclude });
  }

  existingTeams(slugs: readonly string[], tx: Tx = this.prisma) {
    return tx.team.findMany({ where: { slug: { in: [...slugs] } }, select: { slug: true } });
  }

  existingUsers(emails: readonly string[], tx: Tx = this.prisma) {
    return tx.user.findMany({ where: { email: { in: [...emails] } }, select: { email: true } });
  }

  // The teams one person is in, in one query.
  teamsOf(userId: string, tx: Tx = this.prisma) {
    return tx.team.findMany({
      where: { memberships: { some: { userId } } },
      select: { id: true, slug: true },
    });
  }
}
