import { z } from 'zod';
import { isoDateTime, uuidSchema } from './common.js';
import { releaseSchema } from './releases.js';

// A section Flightdeck cannot fill yet (no CI or incident integration): said plainly, never faked.
export const unavailableSectionSchema = z
  .object({ available: z.literal(false), reason: z.string() })
  .meta({ id: 'UnavailableEvidence' });
export type UnavailableSection = z.infer<typeof unavailableSectionSchema>;

// How the candidate did on one upstream stage.
export const upstreamResultSchema = z
  .object({
    stageId: uuidSchema,
    environmentSlug: z.string(),
    // When the candidate last succeeded there; null when it never did.
    succeededAt: isoDateTime.nullable(),
    // That deployment's verification outcome; `none` when the stage has no checks (or it never succeeded).
    verification: z.enum(['passed', 'failed', 'running', 'none']),
    // Whether the candidate runs there now, and for how long (soak), in seconds.
    runsNow: z.boolean(),
    soakedSeconds: z.number().int().nullable(),
    // How long a release must soak there before it may go further.
    soakRequiredSeconds: z.number().int(),
  })
  .meta({ id: 'UpstreamResult' });
export type UpstreamResult = z.infer<typeof upstreamResultSchema>;

export const riskSignalSchema = z
  .object({
    kind: z.enum(['change_size', 'recent_rollback', 'recent_failures', 'quarantined', 'held']),
    tone: z.enum(['success', 'warning', 'danger']),
    message: z.string(),
  })
  .meta({ id: 'RiskSignal' });
export type RiskSignal = z.infer<typeof riskSignalSchema>;

// Everything an approver weighs, on one screen, from what Flightdeck knows today.
export const deploymentEvidenceSchema = z
  .object({
    deploymentId: uuidSchema,
    stage: z.object({ id: uuidSchema, serviceSlug: z.string(), environmentSlug: z.string() }),
    candidate: releaseSchema,
    // What runs on the stage now; null before its first deployment.
    current: releaseSchema.nullable(),
    // The releases between what runs and the candidate, newest first (backward: the ones reverted).
    changes: z.object({
      direction: z.enum(['forward', 'backward', 'none']),
      releases: z.array(releaseSchema),
    }),
    upstream: z.array(upstreamResultSchema),
    risks: z.object({
      releaseCount: z.number().int(),
      // Over the last `windowDays`.
      windowDays: z.number().int(),
      rollbackOnStage: z.boolean(),
      failedDeployments: z.number().int(),
      quarantined: z.boolean(),
      // Environments where a hold keeps the candidate back.
      heldOn: z.array(z.string()),
      signals: z.array(riskSignalSchema),
    }),
    ciChecks: unavailableSectionSchema,
    incidents: unavailableSectionSchema,
    computedAt: isoDateTime,
  })
  .meta({ id: 'DeploymentEvidence' });
export type DeploymentEvidence = z.infer<typeof deploymentEvidenceSchema>;
