import { roleAllows } from '@flightdeck/contracts';
import { refusalFor, needsApproval, type PolicyRules } from '../approvals/approval-rules.js';
import { findEffectivePolicy, rulesOf } from '../approvals/approvals.repository.js';
import type { Tx } from '../database/prisma.service.js';
import { roleOnService } from '../identity/authz.rules.js';
import type { Principal } from '../identity/principal.js';
import { recordDeploymentNotification } from './outbox.js';

export interface EligibleApprover {
  readonly id: string;
  readonly email: string;
  readonly name: string;
}

// Everyone who could approve this deployment right now: enabled, allowed to decide approvals on the
// service (global role raised by the owning team's role), not narrowed away by the environment's approve
// grants, and eligible under the policy (roles, teams, named users; minus the requester and the release's
// author when self-approval is banned). The same rules the approve endpoint applies, over every user.
export async function eligibleApprovers(
  tx: Tx,
  deploymentId: string,
): Promise<{ policy: PolicyRules; approvers: EligibleApprover[] } | null> {
  const deployment = await tx.deployment.findUniqueOrThrow({
    where: { id: deploymentId },
    select: {
      requestedBy: true,
      createdAt: true,
      releaseId: true,
      release: { select: { commitSha: true, author: true } },
      stage: { select: { id: true, environmentId: true, service: { select: { teamId: true } } } },
    },
  });
  const policyRow = await findEffectivePolicy(tx, deployment.stage);
  const policy = policyRow ? rulesOf(policyRow) : null;
  if (!policy || !needsApproval(policy)) return null;
  const request = {
    requestedBy: deployment.requestedBy,
    requestedAt: deployment.createdAt,
    releaseId: deployment.releaseId,
    commitSha: deployment.release.commitSha,
    releaseAuthor: deployment.release.author,
    decisions: [],
  };
  // One after the other: both run on the transaction's single connection.
  const users = await tx.user.findMany({
    where: { disabledAt: null },
    select: {
      id: true,
      email: true,
      name: true,
      role: true,
      memberships: { select: { role: true, team: { select: { id: true, slug: true } } } },
    },
    orderBy: { email: 'asc' },
  });
  const grants = await tx.environmentGrant.findMany({
    where: { environmentId: deployment.stage.environmentId, action: 'approve' },
    select: { userId: true, teamId: true },
  });
  const teamId = deployment.stage.service.teamId;
  const approvers = users.filter((user) => {
    const principal: Principal = {
      via: 'session',
      user: { id: user.id, email: user.email, name: user.name, role: user.role },
      memberships: user.memberships.map((m) => ({ teamId: m.team.id, role: m.role })),
      scopes: null,
      sessionId: null,
      tokenId: null,
    };
    const role = roleOnService(principal, teamId);
    if (!roleAllows(role, 'approvals:decide')) return false;
    const teams = user.memberships.map((m) => m.team);
    const granted =
      user.role === 'admin' ||
      grants.length === 0 ||
      grants.some((g) => g.userId === user.id || teams.some((team) => team.id === g.teamId));
    if (!granted) return false;
    return refusalFor(policy, request, { email: user.email, role, teams }) === null;
  });
  return { policy, approvers: approvers.map(({ id, email, name }) => ({ id, email, name })) };
}

// Call when a deployment starts waiting for approvals, in that transaction: one event naming exactly
// who may approve it.
export async function recordApprovalRequested(tx: Tx, deploymentId: string): Promise<void> {
  const eligible = await eligibleApprovers(tx, deploymentId);
  if (!eligible) return;
  await recordDeploymentNotification(tx, 'approval.requested', deploymentId, {
    requiredApprovals: eligible.policy.requiredApprovals,
    approvers: eligible.approvers.map((a) => ({ id: a.id, email: a.email, name: a.name })),
  });
}
