import { z } from 'zod';
import { isoDateTime, pageQuerySchema, uuidSchema } from './common.js';

// What Flightdeck tells notification channels about. `test` is only ever sent to one channel on request.
export const notificationEventTypeSchema = z
  .enum([
    'deployment.started',
    'deployment.succeeded',
    'deployment.failed',
    'approval.requested',
    'approval.decided',
    'rollback.requested',
    'hold.set',
    'incident.opened',
    'incident.changed',
    'test',
  ])
  .meta({ id: 'NotificationEventType' });
export type NotificationEventType = z.infer<typeof notificationEventTypeSchema>;
export const notificationEventTypes = notificationEventTypeSchema.options;

// The types a channel may filter on (a test goes to the channel it was sent to, whatever its filters).
export const notificationFilterEventTypeSchema = notificationEventTypeSchema.exclude(['test']);

export const notificationChannelKindSchema = z.enum(['slack', 'webhook']);
export type NotificationChannelKind = z.infer<typeof notificationChannelKindSchema>;

export const notificationDeliveryStateSchema = z
  .enum(['pending', 'succeeded', 'failed', 'dead'])
  .meta({ id: 'NotificationDeliveryState' });
export type NotificationDeliveryState = z.infer<typeof notificationDeliveryStateSchema>;

// Incident status updates are written from templates, one per status.
export const incidentStatusUpdateSchema = z.enum(['investigating', 'identified', 'monitoring', 'resolved']);
export type IncidentStatusUpdate = z.infer<typeof incidentStatusUpdateSchema>;

export const notificationChannelSchema = z
  .object({
    id: uuidSchema,
    kind: notificationChannelKindSchema,
    name: z.string(),
    // The URL is write-only (a Slack incoming-webhook URL is a credential): its origin and a hint
    // with its last four characters, e.g. "https://hooks.slack.com/…/Xy9Z".
    urlOrigin: z.string(),
    urlHint: z.string(),
    // The signing secret is write-only: only whether one is stored.
    secretSet: z.boolean(),
    eventTypes: z.array(notificationFilterEventTypeSchema),
    serviceIds: z.array(uuidSchema),
    environmentIds: z.array(uuidSchema),
    enabled: z.boolean(),
    createdBy: z.string(),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  })
  .meta({ id: 'NotificationChannel' });
export type NotificationChannel = z.infer<typeof notificationChannelSchema>;

const channelUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .max(2000, 'must be at most 2000 characters');

const channelFields = {
  kind: notificationChannelKindSchema,
  name: z.string().trim().min(1, 'required').max(100, 'must be at most 100 characters'),
  // Empty lists match everything.
  eventTypes: z.array(notificationFilterEventTypeSchema).max(20).default([]),
  serviceIds: z.array(uuidSchema).max(200).default([]),
  environmentIds: z.array(uuidSchema).max(50).default([]),
  enabled: z.boolean().default(true),
};

export const createNotificationChannelBodySchema = z.object({
  ...channelFields,
  url: channelUrl,
  // Signs generic webhooks (HMAC-SHA256); Slack channels have none.
  secret: z.string().min(16, 'must be at least 16 characters').max(200).nullable().default(null),
});
export type CreateNotificationChannelBody = z.output<typeof createNotificationChannelBodySchema>;

export const updateNotificationChannelBodySchema = z.object({
  ...channelFields,
  // Omitted: keep the stored URL; a string: replace it.
  url: channelUrl.optional(),
  // Omitted: keep the stored secret; null: remove it; a string: replace it.
  secret: z.string().min(16, 'must be at least 16 characters').max(200).nullable().optional(),
});
export type UpdateNotificationChannelBody = z.output<typeof updateNotificationChannelBodySchema>;

export const notificationChannelParamsSchema = z.object({ id: uuidSchema });

export const notificationDeliveryAttemptSchema = z.object({
  number: z.number().int(),
  statusCode: z.number().int().nullable(),
  error: z.string().nullable(),
  durationMs: z.number().int(),
  retryAt: isoDateTime.nullable(),
  attemptedAt: isoDateTime,
});

export const notificationDeliverySchema = z
  .object({
    id: uuidSchema,
    channelId: uuidSchema,
    channelName: z.string(),
    eventId: uuidSchema,
    eventType: notificationEventTypeSchema,
    // One line saying what the event was about.
    summary: z.string(),
    deploymentId: uuidSchema.nullable(),
    incidentId: uuidSchema.nullable(),
    state: notificationDeliveryStateSchema,
    attempts: z.number().int(),
    nextAttemptAt: isoDateTime.nullable(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    lastDurationMs: z.number().int().nullable(),
    deliveredAt: isoDateTime.nullable(),
    occurredAt: isoDateTime,
    createdAt: isoDateTime,
    attemptLog: z.array(notificationDeliveryAttemptSchema),
  })
  .meta({ id: 'NotificationDelivery' });
export type NotificationDelivery = z.infer<typeof notificationDeliverySchema>;

export const listNotificationDeliveriesQuerySchema = pageQuerySchema.extend({
  channelId: uuidSchema.optional(),
  state: notificationDeliveryStateSchema.optional(),
  eventType: notificationEventTypeSchema.optional(),
});

export const notificationDeliveryParamsSchema = z.object({ id: uuidSchema });
