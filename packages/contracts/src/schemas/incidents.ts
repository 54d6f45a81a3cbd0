import { z } from 'zod';
import { tierKindSchema } from '../enums.js';
import { isoDateTime, uuidSchema } from './common.js';
import { deploymentSchema } from './deployments.js';

// The lifecycle, in order; an incident moves forward only (resolved is final).
export const INCIDENT_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export const incidentStatusSchema = z.enum(INCIDENT_STATUSES);
export type IncidentStatus = z.infer<typeof incidentStatusSchema>;

// The statuses an incident may move to from each one: forward, skipping steps allowed.
export function nextIncidentStatuses(status: IncidentStatus): IncidentStatus[] {
  return INCIDENT_STATUSES.slice(INCIDENT_STATUSES.indexOf(status) + 1);
}

export const INCIDENT_DEPLOYMENT_RELATIONS = ['suspect', 'cause', 'remediation'] as const;
export const incidentDeploymentRelationSchema = z.enum(INCIDENT_DEPLOYMENT_RELATIONS);
export type IncidentDeploymentRelation = z.infer<typeof incidentDeploymentRelationSchema>;

export const ACTION_ITEM_STATES = ['open', 'done'] as const;
export const actionItemStateSchema = z.enum(ACTION_ITEM_STATES);

// "INC-12": what people say and write.
export function incidentReference(number: number): string {
  return `INC-${number}`;
}

// "1h 5m": MTTA, MTTR and durations, the same on the page and in the Markdown export.
export function formatIncidentDuration(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  if (minutes < 1) return `${seconds}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 1) return `${minutes}m`;
  const days = Math.floor(hours / 24);
  if (days < 1) return `${hours}h ${minutes % 60}m`;
  return `${days}d ${hours % 24}h`;
}

const severityKeySchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,15}$/, 'letters, digits, - or _, up to 16, e.g. P1 or SEV2');

export const incidentSeveritySchema = z
  .object({
    key: z.string(),
    // 0 is the most severe.
    rank: z.number().int(),
    name: z.string(),
    description: z.string(),
    expectedResponseMinutes: z.number().int(),
    // An open incident of this severity blocks promotions to production for its services.
    freezesProduction: z.boolean(),
  })
  .meta({ id: 'IncidentSeverity' });
export type IncidentSeverity = z.infer<typeof incidentSeveritySchema>;

export const severityParamsSchema = z.object({ key: severityKeySchema });

export const createSeverityBodySchema = z.object({
  key: severityKeySchema,
  rank: z.number().int().min(0).max(100),
  name: z.string().trim().min(1).max(60),
  description: z.string().trim().max(500).default(''),
  expectedResponseMinutes: z.number().int().min(1).max(10_080),
  freezesProduction: z.boolean().default(false),
});

export const updateSeverityBodySchema = z
  .object({
    name: z.string().trim().min(1).max(60).optional(),
    description: z.string().trim().max(500).optional(),
    expectedResponseMinutes: z.number().int().min(1).max(10_080).optional(),
    freezesProduction: z.boolean().optional(),
  })
  .refine((value) => Object.values(value).some((field) => field !== undefined), {
    message: 'change at least one field',
  });

const personSchema = z.object({ id: uuidSchema, email: z.string(), name: z.string() });

export const incidentStageSchema = z.object({
  stageId: uuidSchema,
  serviceSlug: z.string(),
  environmentSlug: z.string(),
  tier: tierKindSchema,
});

export const incidentSummarySchema = z
  .object({
    id: uuidSchema,
    number: z.number().int(),
    // INC-<number>.
    reference: z.string(),
    title: z.string(),
    severity: incidentSeveritySchema,
    status: incidentStatusSchema,
    commander: personSchema.nullable(),
    declaredBy: z.string(),
    detectedAt: isoDateTime,
    acknowledgedAt: isoDateTime.nullable(),
    identifiedAt: isoDateTime.nullable(),
    monitoringAt: isoDateTime.nullable(),
    resolvedAt: isoDateTime.nullable(),
    // From detection to resolution, or to now while open.
    durationSeconds: z.number().int(),
    stages: z.array(incidentStageSchema),
    // Open and of a severity that freezes production: promotions to production of its services wait.
    freezingProduction: z.boolean(),
    createdAt: isoDateTime,
  })
  .meta({ id: 'IncidentSummary' });
export type IncidentSummary = z.infer<typeof incidentSummarySchema>;

export const incidentActionItemSchema = z
  .object({
    id: uuidSchema,
    title: z.string(),
    owner: personSchema.nullable(),
    state: actionItemStateSchema,
    createdBy: z.string(),
    completedAt: isoDateTime.nullable(),
    createdAt: isoDateTime,
  })
  .meta({ id: 'IncidentActionItem' });
export type IncidentActionItem = z.infer<typeof incidentActionItemSchema>;

export const incidentDeploymentLinkSchema = z
  .object({
    relation: incidentDeploymentRelationSchema,
    deployment: deploymentSchema,
    createdBy: z.string(),
    createdAt: isoDateTime,
  })
  .meta({ id: 'IncidentDeploymentLink' });
export type IncidentDeploymentLink = z.infer<typeof incidentDeploymentLinkSchema>;

export const incidentSchema = incidentSummarySchema
  .extend({
    summary: z.string(),
    impact: z.string(),
    rootCause: z.string(),
    // Time to acknowledge and to resolve, from detection; null until then.
    mttaSeconds: z.number().int().nullable(),
    mttrSeconds: z.number().int().nullable(),
    // Acknowledged later than the severity's expected response time (or not yet, and already late).
    responseOverdue: z.boolean(),
    nextStatuses: z.array(incidentStatusSchema),
    actionItems: z.array(incidentActionItemSchema),
    deployments: z.array(incidentDeploymentLinkSchema),
  })
  .meta({ id: 'Incident' });
export type Incident = z.infer<typeof incidentSchema>;

export const TIMELINE_ENTRY_KINDS = [
  'declared',
  'status',
  'note',
  'deployment',
  'rollback',
  'approval',
  'freeze',
  'hold',
  'lock',
  'health',
  'link',
] as const;
export const timelineEntryKindSchema = z.enum(TIMELINE_ENTRY_KINDS);
export type TimelineEntryKind = z.infer<typeof timelineEntryKindSchema>;

export const timelineEntrySchema = z
  .object({
    at: isoDateTime,
    kind: timelineEntryKindSchema,
    // Who did it (a person, a token, or Flightdeck itself).
    actor: z.string(),
    // One sentence for people.
    text: z.string(),
    // Set when the entry is about a deployment or a stage, for links.
    deploymentId: uuidSchema.nullable(),
    stageId: uuidSchema.nullable(),
    // Written by a person on the incident (true), or derived from what happened on its stages.
    manual: z.boolean(),
  })
  .meta({ id: 'IncidentTimelineEntry' });
export type TimelineEntry = z.infer<typeof timelineEntrySchema>;

export const incidentTimelineSchema = z
  .object({
    // The span the automatic entries cover: from the suspect window before detection to resolution (or now).
    from: isoDateTime,
    to: isoDateTime,
    items: z.array(timelineEntrySchema),
  })
  .meta({ id: 'IncidentTimeline' });
export type IncidentTimeline = z.infer<typeof incidentTimelineSchema>;

export const suspectDeploymentSchema = z
  .object({
    deployment: deploymentSchema,
    tier: tierKindSchema,
    // 1 is the likeliest.
    rank: z.number().int(),
    score: z.number(),
    // Why it ranks where it does, one short phrase per signal.
    reasons: z.array(z.string()),
    // The links people made: cause, remediation (a suspect is listed whether or not it was linked).
    relations: z.array(incidentDeploymentRelationSchema),
    // The rollback started from this incident for it, if any.
    remediation: deploymentSchema.nullable(),
    // Whether a rollback of its stage would leave this deployment's release; why not when it cannot.
    rollback: z.object({ possible: z.boolean(), reason: z.string() }),
  })
  .meta({ id: 'SuspectDeployment' });
export type SuspectDeployment = z.infer<typeof suspectDeploymentSchema>;

export const SUSPECT_WINDOW_DEFAULT_MINUTES = 240;

export const suspectsQuerySchema = z.object({
  // How far before detection a deployment may have finished to be a suspect.
  windowMinutes: z.coerce.number().int().min(5).max(10_080).default(SUSPECT_WINDOW_DEFAULT_MINUTES),
});

export const incidentSuspectsSchema = z
  .object({
    windowMinutes: z.number().int(),
    items: z.array(suspectDeploymentSchema),
  })
  .meta({ id: 'IncidentSuspects' });
export type IncidentSuspects = z.infer<typeof incidentSuspectsSchema>;

export const listIncidentsQuerySchema = z.object({
  // open: not resolved.
  status: z.enum(['open', 'resolved', 'all']).default('all'),
  stageId: uuidSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});

const titleSchema = z.string().trim().min(3, 'say what is wrong, in a few words').max(200);

export const declareIncidentBodySchema = z.object({
  title: titleSchema,
  severity: severityKeySchema,
  summary: z.string().trim().max(10_000).default(''),
  // Affected stages; their services are the affected services.
  stageIds: z.array(uuidSchema).max(50).default([]),
  // Declared from a deployment: it is linked as a suspect and its stage is affected.
  deploymentId: uuidSchema.optional(),
  commanderId: uuidSchema.optional(),
  // When the problem was noticed; now when omitted. Never in the future.
  detectedAt: isoDateTime.optional(),
});

export const updateIncidentBodySchema = z
  .object({
    title: titleSchema.optional(),
    summary: z.string().trim().max(10_000).optional(),
    severity: severityKeySchema.optional(),
    commanderId: uuidSchema.nullable().optional(),
    stageIds: z.array(uuidSchema).max(50).optional(),
    impact: z.string().trim().max(10_000).optional(),
    rootCause: z.string().trim().max(10_000).optional(),
  })
  .refine((value) => Object.values(value).some((field) => field !== undefined), {
    message: 'change at least one field',
  });

export const transitionIncidentBodySchema = z.object({
  status: incidentStatusSchema,
  // Written to the timeline as a note with the change.
  note: z.string().trim().max(10_000).default(''),
});

export const incidentNoteBodySchema = z.object({
  body: z.string().trim().min(1, 'write something').max(10_000),
});

export const actionItemBodySchema = z.object({
  title: z.string().trim().min(3).max(300),
  ownerId: uuidSchema.optional(),
});

export const updateActionItemBodySchema = z
  .object({
    title: z.string().trim().min(3).max(300).optional(),
    ownerId: uuidSchema.nullable().optional(),
    state: actionItemStateSchema.optional(),
  })
  .refine((value) => Object.values(value).some((field) => field !== undefined), {
    message: 'change at least one field',
  });

export const actionItemParamsSchema = z.object({ id: uuidSchema, itemId: uuidSchema });

export const linkDeploymentBodySchema = z.object({
  deploymentId: uuidSchema,
  relation: incidentDeploymentRelationSchema,
});

export const incidentRollbackBodySchema = z.object({
  // The suspect to roll back: its stage goes back to the release before it.
  deploymentId: uuidSchema,
  reason: z.string().trim().min(3, 'say why, in a few words').max(500),
});
