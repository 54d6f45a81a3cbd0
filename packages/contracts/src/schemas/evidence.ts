import { z } from 'zod';
import { isoDateTime, uuidSchema } from './common.js';
import { changelogSchema } from './changelog.js';
import { releaseSchema } from './releases.js';

// A section Flightdeck cannot fill (no repository, GitHub not configured, no data yet): said plainly.
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
    kind: z.enum([
      'change_size',
      'recent_rollback',
      'recent_failures',
      'quarantined',
      'held',
      'open_incident',
      'ci_failing',
    ]),
    tone: z.enum(['success', 'warning', 'danger']),
    message: z.string(),
  })
  .meta({ id: 'RiskSignal' });
export type RiskSignal = z.infer<typeof riskSignalSchema>;

// One check run or commit status of the candidate's commit, as last fetched from GitHub.
export const evidenceCheckSchema = z
  .object({
    name: z.string(),
    source: z.enum(['check_run', 'status']),
    state: z.enum(['success', 'failure', 'pending']),
    // GitHub's conclusion or status state ("timed_out", "error"); null while a run is not finished.
    conclusion: z.string().nullable(),
    url: z.string().nullable(),
    // Whether the stage requires this check before a promotion.
    required: z.boolean(),
  })
  .meta({ id: 'EvidenceCheck' });
export type EvidenceCheck = z.infer<typeof evidenceCheckSchema>;

export const evidenceChecksSchema = z
  .discriminatedUnion('available', [
    unavailableSectionSchema,
    z.object({
      available: z.literal(true),
      repository: z.string(),
      commitSha: z.string(),
      // When Flightdeck last asked GitHub.
      fetchedAt: isoDateTime,
      checks: z.array(evidenceCheckSchema),
      // The stage's required checks, each with its verdict (pending when missing or unfinished).
      required: z.array(z.object({ name: z.string(), state: z.enum(['success', 'failure', 'pending']) })),
    }),
  ])
  .meta({ id: 'EvidenceChecks' });
export type EvidenceChecks = z.infer<typeof evidenceChecksSchema>;

// An unresolved incident touching a stage of the deployment's service.
export const evidenceIncidentSchema = z
  .object({
    id: uuidSchema,
    number: z.number().int(),
    // INC-<number>.
    reference: z.string(),
    title: z.string(),
    severityKey: z.string(),
    severityName: z.string(),
    freezesProduction: z.boolean(),
    status: z.enum(['investigating', 'identified', 'monitoring']),
    detectedAt: isoDateTime,
    // The web page of the incident.
    path: z.string(),
  })
  .meta({ id: 'EvidenceIncident' });
export type EvidenceIncident = z.infer<typeof evidenceIncidentSchema>;

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
    // The commits and pull requests between what runs and the candidate, from GitHub.
    changelog: changelogSchema,
    ciChecks: evidenceChecksSchema,
    incidents: z.object({ available: z.literal(true), open: z.array(evidenceIncidentSchema) }),
    computedAt: isoDateTime,
  })
  .meta({ id: 'DeploymentEvidence' });
export type DeploymentEvidence = z.infer<typeof deploymentEvidenceSchema>;
