import { z } from 'zod';
import { deploymentStatusSchema } from '../enums.js';
import { isoDateTime, uuidSchema } from './common.js';

// Server-sent events: hints that something changed, for clients to refetch or patch. The database stays
// the truth; a client that reconnects refetches what it shows.
export const liveEventSchema = z
  .discriminatedUnion('type', [
    z.object({
      type: z.literal('stage.updated'),
      stageId: uuidSchema,
      serviceSlug: z.string(),
      environmentSlug: z.string(),
      at: isoDateTime,
    }),
    z.object({
      type: z.literal('release.created'),
      releaseId: uuidSchema,
      serviceSlug: z.string(),
      version: z.string(),
      at: isoDateTime,
    }),
    z.object({
      type: z.literal('service.updated'),
      serviceSlug: z.string(),
      at: isoDateTime,
    }),
    z.object({
      type: z.literal('deployment.updated'),
      deploymentId: uuidSchema,
      stageId: uuidSchema,
      status: deploymentStatusSchema,
      trainId: uuidSchema.nullable().optional(),
      at: isoDateTime,
    }),
    // A deployment waits for approval; the people who may approve it are named so their open pages can say so.
    z.object({
      type: z.literal('approval.requested'),
      deploymentId: uuidSchema,
      approverIds: z.array(uuidSchema),
      at: isoDateTime,
    }),
  ])
  .meta({ id: 'LiveEvent' });
export type LiveEvent = z.infer<typeof liveEventSchema>;
export type LiveEventType = LiveEvent['type'];
export const LIVE_EVENT_TYPES = [
  'stage.updated',
  'release.created',
  'service.updated',
  'deployment.updated',
  'approval.requested',
] as const satisfies readonly LiveEventType[];
