import { z } from 'zod';
import {
  DEPLOYMENT_STATUSES,
  deploymentKindSchema,
  deploymentStatusSchema,
  driverKindSchema,
} from '../enums.js';
import { deploymentChecklistSchema } from './checklists.js';
import { isoDateTime, pageQuerySchema, slugSchema, uuidSchema } from './common.js';
import { gateSchema } from './gates.js';
import { verificationStatusSchema } from './verification.js';

export const releaseRefSchema = z.object({
  id: uuidSchema,
  version: z.string(),
  commitSha: z.string(),
});

export const deploymentSchema = z
  .object({
    id: uuidSchema,
    stageId: uuidSchema,
    serviceSlug: z.string(),
    environmentSlug: z.string(),
    release: releaseRefSchema,
    kind: deploymentKindSchema,
    status: deploymentStatusSchema,
    requestedBy: z.string(),
    reason: z.string(),
    // The stage's driver; `sandbox` is the built-in simulated target.
    driverKind: driverKindSchema,
    driverExternalId: z.string().nullable(),
    driverUrl: z.string().nullable(),
    error: z.string().nullable(),
    // An admin overrode failing gates, with the reason above.
    breakGlass: z.boolean(),
    trainId: uuidSchema.nullable(),
    createdAt: isoDateTime,
    queuedAt: isoDateTime.nullable(),
    startedAt: isoDateTime.nullable(),
    finishedAt: isoDateTime.nullable(),
    // Past it, an unfinished deployment ends timed_out; set when it is queued.
    deadlineAt: isoDateTime.nullable(),
  })
  .meta({ id: 'Deployment' });
export type Deployment = z.infer<typeof deploymentSchema>;

export const deploymentEventSchema = z
  .object({
    id: z.string(),
    fromStatus: deploymentStatusSchema.nullable(),
    toStatus: deploymentStatusSchema,
    message: z.string(),
    actor: z.string(),
    createdAt: isoDateTime,
  })
  .meta({ id: 'DeploymentEvent' });
export type DeploymentEvent = z.infer<typeof deploymentEventSchema>;

// The deployment as mirrored into GitHub Deployments (services with a repository, GitHub configured).
export const deploymentGitHubMirrorSchema = z
  .object({
    // pending: work not sent yet (or being retried); synced: GitHub shows every transition; failed: given up.
    state: z.enum(['pending', 'synced', 'failed']),
    // GitHub's id for the deployment, once created.
    deploymentId: z.number().int().nullable(),
    // The environment's deployments page on GitHub, once created.
    url: z.string().nullable(),
    // The latest status GitHub holds (queued, in_progress, success, failure, error, inactive).
    lastStatus: z.string().nullable(),
    // Why the last attempt failed, in GitHub's words.
    error: z.string().nullable(),
  })
  .meta({ id: 'DeploymentGitHubMirror' });
export type DeploymentGitHubMirror = z.infer<typeof deploymentGitHubMirrorSchema>;

export const deploymentDetailSchema = deploymentSchema
  .extend({
    events: z.array(deploymentEventSchema),
    // For a pending deployment, what it waits for now; empty once it has started.
    gates: z.array(gateSchema),
    // The checks after the driver reported done, when the stage has any.
    verification: verificationStatusSchema.nullable(),
    // The stage's checklist with the requester's confirmations, when the stage has one.
    checklist: deploymentChecklistSchema.nullable().optional(),
    // Its GitHub deployment, when it is mirrored there.
    github: deploymentGitHubMirrorSchema.nullable().optional(),
  })
  .meta({ id: 'DeploymentDetail' });
export type DeploymentDetail = z.infer<typeof deploymentDetailSchema>;

// `status` takes a comma-separated list, e.g. `?status=queued,running`.
const statusListSchema = z
  .string()
  .transform((value) => value.split(',').map((s) => s.trim()))
  .pipe(z.array(z.enum(DEPLOYMENT_STATUSES)).min(1));

export const listDeploymentsQuerySchema = pageQuerySchema.extend({
  service: slugSchema.optional(),
  environment: slugSchema.optional(),
  status: statusListSchema.optional(),
});

const reasonSchema = z.string().trim().max(500, 'must be at most 500 characters');

// Deploy a release to a stage. Without a release, the stage's next candidate (the one the preview offers).
// The kind follows from what runs there: a newer release is a promote, the same one a redeploy, an older
// one a rollback.
export const createDeploymentBodySchema = z.object({
  stageId: uuidSchema,
  releaseId: uuidSchema.optional(),
  reason: reasonSchema.default(''),
  // Admins only, with a reason: failing gates are overridden and the deployment is flagged.
  breakGlass: z.boolean().default(false),
});

export const cancelDeploymentBodySchema = z.object({ reason: reasonSchema.default('') });

// For `record` stages: the outcome of a deployment done elsewhere (a CI job, a script, a person).
export const reportDeploymentBodySchema = z.object({
  status: z.enum(['running', 'succeeded', 'failed']),
  message: z.string().max(2000).default(''),
  url: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .optional(),
  externalId: z.string().min(1).max(200).optional(),
});

// What a webhook target sends back to /api/v1/hooks/deployments/{id}, signed like our requests.
export const webhookCallbackBodySchema = z.object({
  status: z.enum(['running', 'succeeded', 'failed']),
  message: z.string().max(2000).default(''),
  url: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .optional(),
  externalId: z.string().min(1).max(200).optional(),
});
export const webhookCallbackResponseSchema = z.object({
  accepted: z.boolean(),
  status: deploymentStatusSchema,
});

export const releaseTrainSchema = z
  .object({
    id: uuidSchema,
    environmentSlug: z.string(),
    requestedBy: z.string(),
    reason: z.string(),
    createdAt: isoDateTime,
    // One per service the train started, each gated and driven on its own.
    deployments: z.array(deploymentSchema),
    // Services it could not start, with why.
    skipped: z.array(z.object({ serviceSlug: z.string(), message: z.string(), gates: z.array(gateSchema) })),
  })
  .meta({ id: 'ReleaseTrain' });
export type ReleaseTrain = z.infer<typeof releaseTrainSchema>;

export const createReleaseTrainBodySchema = z.object({
  // The environment every listed service moves into, each with its next candidate.
  environment: slugSchema,
  services: z
    .array(slugSchema)
    .min(1, 'must name at least one service')
    .max(50, 'must name at most 50 services')
    .refine((list) => new Set(list).size === list.length, 'must not repeat a service'),
  reason: reasonSchema.default(''),
});

export const listReleaseTrainsQuerySchema = pageQuerySchema;

export * from './checklists.js';
