import {
  type NotificationChannel,
  type NotificationDelivery,
  notificationEventTypeSchema,
  notificationFilterEventTypeSchema,
} from '@flightdeck/contracts';
import { storedUrlHint, storedUrlOrigin } from './notification-channel-secret.js';
import { renderNotification } from './notification-messages.js';
import type { ChannelRow, DeliveryRow } from './notifications.repository.js';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

// Never the secret nor the URL: whether a secret is stored, and the URL's origin and hint.
export function mapChannel(row: ChannelRow): NotificationChannel {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    urlOrigin: storedUrlOrigin(row),
    urlHint: storedUrlHint(row),
    secretSet: row.secretSealed !== null,
    eventTypes: row.eventTypes.flatMap((type) => {
      const parsed = notificationFilterEventTypeSchema.safeParse(type);
      return parsed.success ? [parsed.data] : [];
    }),
    serviceIds: row.serviceIds,
    environmentIds: row.environmentIds,
    enabled: row.enabled,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

// What the audit ledger keeps of a channel: no secret, and only the origin of its URL (a Slack
// incoming-webhook URL is itself a credential).
export function auditedChannel(row: ChannelRow) {
  return {
    kind: row.kind,
    name: row.name,
    urlOrigin: storedUrlOrigin(row),
    secretSet: row.secretSealed !== null,
    eventTypes: row.eventTypes,
    serviceIds: row.serviceIds,
    environmentIds: row.environmentIds,
    enabled: row.enabled,
  };
}

export function mapDelivery(row: DeliveryRow): NotificationDelivery {
  const eventType = notificationEventTypeSchema.catch('test').parse(row.event.type);
  return {
    id: row.id,
    channelId: row.channelId,
    channelName: row.channel.name,
    eventId: row.eventId,
    eventType,
    summary: renderNotification(eventType, row.event.payload, null).summary,
    deploymentId: row.event.deploymentId,
    incidentId: row.event.incidentId,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.state === 'pending' ? iso(row.nextAttemptAt) : null,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    lastDurationMs: row.lastDurationMs,
    deliveredAt: iso(row.deliveredAt),
    occurredAt: row.event.occurredAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
    attemptLog: row.attemptLog.map((attempt) => ({
      number: attempt.number,
      statusCode: attempt.statusCode,
      error: attempt.error,
      durationMs: attempt.durationMs,
      retryAt: iso(attempt.retryAt),
      attemptedAt: attempt.attemptedAt.toISOString(),
    })),
  };
}
