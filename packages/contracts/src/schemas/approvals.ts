import { z } from 'zod';
import { roleSchema } from '../permissions.js';
import { isoDateTime, slugSchema, uuidSchema } from './common.js';
import { deploymentSchema } from './deployments.js';
import { gateSchema } from './gates.js';

const email = z
  .email('must be an e-mail address')
  .max(254)
  .transform((value) => value.toLowerCase());

// Who may approve: anyone holding one of these roles on the service, a member of one of these teams,
// or one of these people. All three empty: anyone who may approve there.
export const approversSchema = z.object({
  roles: z.array(roleSchema).max(4).default([]),
  teams: z.array(slugSchema).max(50).default([]),
  users: z.array(email).max(100).default([]),
});

// A deployment window of a policy: opens at each cron time (five fields, in `timeZone`) for
// `durationMinutes`. With any allow window, deploys start only inside one; never inside a deny window.
export const policyWindowInputSchema = z.object({
  kind: z.enum(['allow', 'deny']),
  cron: z.string().trim().min(1, 'is required').max(120),
  durationMinutes: z.number().int().min(1).max(10_080),
  timeZone: z.string().trim().min(1, 'is required').max(64),
  label: z.string().trim().max(80).nullable().default(null),
});
export type PolicyWindowInput = z.output<typeof policyWindowInputSchema>;

export const policyWindowSchema = z
  .object({
    kind: z.enum(['allow', 'deny']),
    cron: z.string(),
    durationMinutes: z.number().int(),
    timeZone: z.string(),
    label: z.string().nullable(),
    // In words, e.g. "Mon–Thu 09:00–16:00 Europe/Berlin".
    summary: z.string(),
  })
  .meta({ id: 'PolicyWindow' });
export type PolicyWindow = z.infer<typeof policyWindowSchema>;

// What must happen before a deployment to an environment (or one stage) may start.
export const approvalPolicySchema = z
  .object({
    // Where it comes from: the stage's own, its environment's, or none (nothing to approve).
    source: z.enum(['stage', 'environment', 'none']),
    environmentSlug: z.string(),
    stageId: uuidSchema.nullable(),
    requiredApprovals: z.number().int(),
    approvers: z.object({
      roles: z.array(roleSchema),
      teams: z.array(z.string()),
      users: z.array(z.string()),
    }),
    distinctTeams: z.boolean(),
    selfApprovalBanned: z.boolean(),
    reasonRequiredToApprove: z.boolean(),
    expiryMinutes: z.number().int().nullable(),
    waitMinutes: z.number().int(),
    // Rollbacks need approval too; by default they go without (always audited).
    approveRollbacks: z.boolean(),
    windows: z.array(policyWindowSchema),
    updatedBy: z.string().nullable(),
    updatedAt: isoDateTime.nullable(),
  })
  .meta({ id: 'ApprovalPolicy' });
export type ApprovalPolicy = z.infer<typeof approvalPolicySchema>;

export const putApprovalPolicyBodySchema = z
  .object({
    requiredApprovals: z.number().int().min(0).max(20),
    approvers: approversSchema.default({ roles: [], teams: [], users: [] }),
    distinctTeams: z.boolean().default(false),
    selfApprovalBanned: z.boolean().default(true),
    reasonRequiredToApprove: z.boolean().default(false),
    expiryMinutes: z.number().int().min(1).max(525_600).nullable().default(null),
    waitMinutes: z.number().int().min(0).max(10_080).default(0),
    approveRollbacks: z.boolean().default(false),
    windows: z.array(policyWindowInputSchema).max(20).default([]),
  })
  .refine((value) => !value.distinctTeams || value.requiredApprovals >= 2, {
    path: ['distinctTeams'],
    message: 'needs at least 2 required approvals',
  });
export type PutApprovalPolicyBody = z.output<typeof putApprovalPolicyBodySchema>;

export const approvalSchema = z
  .object({
    id: uuidSchema,
    deploymentId: uuidSchema,
    decision: z.enum(['approve', 'reject']),
    by: z.string(),
    // The team it counts for (distinct teams), when the approver belongs to one.
    team: z.string().nullable(),
    comment: z.string(),
    // The release and commit it was given for.
    releaseId: uuidSchema,
    releaseVersion: z.string(),
    commitSha: z.string(),
    via: z.enum(['session', 'token']),
    createdAt: isoDateTime,
    // Null when it never expires.
    expiresAt: isoDateTime.nullable(),
    // Counts towards the policy now: an approval, for this release and commit, not expired.
    valid: z.boolean(),
    // Why an approval does not count (null for a rejection or one that counts); for a finished
    // deployment, as it stood when it stopped waiting.
    notCounted: z.enum(['expired', 'other_release', 'other_commit']).nullable(),
  })
  .meta({ id: 'Approval' });
export type Approval = z.infer<typeof approvalSchema>;

// A deployment waiting for approval (or decided), as an approver sees it.
export const approvalRequestSchema = z
  .object({
    deployment: deploymentSchema,
    policy: approvalPolicySchema,
    gates: z.array(gateSchema),
    approvals: z.array(approvalSchema),
    // Valid approvals so far, and how many are needed.
    approved: z.number().int(),
    required: z.number().int(),
    // For the caller: may they decide now, and if not, why (a sentence).
    canDecide: z.boolean(),
    whyNot: z.string().nullable(),
  })
  .meta({ id: 'ApprovalRequest' });
export type ApprovalRequest = z.infer<typeof approvalRequestSchema>;

export const approveBodySchema = z.object({ comment: z.string().trim().max(2000).default('') });
export const rejectBodySchema = z.object({
  comment: z.string().trim().min(3, 'say why, in a few words').max(2000),
});

export const listApprovalsQuerySchema = z.object({
  // mine: what I may decide now; pending: everything waiting for approval; all: also decided ones.
  scope: z.enum(['mine', 'pending', 'all']).default('pending'),
});
