import { Inject, Injectable } from '@nestjs/common';
import type { NotificationDeliveryState, NotificationEventType } from '@flightdeck/contracts';
import { afterCursor, type Cursor } from '../common/pagination.js';
import { PrismaService, type Tx } from '../database/prisma.service.js';
import type { Prisma } from '../generated/prisma/client.js';

export const deliveryInclude = {
  channel: { select: { name: true } },
  event: {
    select: { id: true, type: true, payload: true, occurredAt: true, deploymentId: true, incidentId: true },
  },
  attemptLog: { orderBy: { number: 'asc' } },
} as const satisfies Prisma.NotificationDeliveryInclude;
export type DeliveryRow = Prisma.NotificationDeliveryGetPayload<{ include: typeof deliveryInclude }>;

export const deliveryForSendInclude = {
  channel: true,
  event: { select: { id: true, type: true, payload: true, occurredAt: true } },
} as const satisfies Prisma.NotificationDeliveryInclude;
export type DeliveryForSend = Prisma.NotificationDeliveryGetPayload<{
  include: typeof deliveryForSendInclude;
}>;

export type ChannelRow = Prisma.NotificationChannelGetPayload<object>;
export type ChannelData = Omit<Prisma.NotificationChannelUncheckedCreateInput, 'createdAt' | 'updatedAt'>;

interface UnfannedEvent {
  id: string;
  seq: bigint;
  type: string;
  service_id: string | null;
  environment_id: string | null;
  channel_id: string | null;
  deployment_id: string | null;
  // Only for incident events: every service and environment the incident affects (ids as text).
  incident_service_ids: string[] | null;
  incident_environment_ids: string[] | null;
  // Only for approval requests: who may approve.
  approver_ids: string[] | null;
}

export interface FanOutResult {
  readonly events: number;
  // Approval requests among them, for live hints to the approvers' open pages.
  readonly approvalRequests: ReadonlyArray<{ deploymentId: string; approverIds: string[] }>;
}

// Does this channel want this event? Empty filters match everything; a targeted event (a test) goes
// only to its channel, whatever its filters. An incident is about every service and environment it
// affects: a filter matches when any of them is in it.
export function channelMatches(channel: ChannelRow, event: UnfannedEvent): boolean {
  if (event.channel_id !== null) return event.channel_id === channel.id;
  if (!channel.enabled) return false;
  const inList = (list: readonly string[], values: readonly (string | null)[]) =>
    list.length === 0 || values.some((value) => value !== null && list.includes(value));
  return (
    inList(channel.eventTypes, [event.type]) &&
    inList(channel.serviceIds, [event.service_id, ...(event.incident_service_ids ?? [])]) &&
    inList(channel.environmentIds, [event.environment_id, ...(event.incident_environment_ids ?? [])])
  );
}

@Injectable()
export class NotificationsRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  listChannels(tx: Tx = this.prisma) {
    return tx.notificationChannel.findMany({ orderBy: [{ name: 'asc' }] });
  }

  findChannel(id: string, tx: Tx = this.prisma) {
    return tx.notificationChannel.findUnique({ where: { id } });
  }

  findChannelByName(name: string, tx: Tx) {
    return tx.notificationChannel.findUnique({ where: { name } });
  }

  createChannel(tx: Tx, data: ChannelData) {
    return tx.notificationChannel.create({ data });
  }

  updateChannel(tx: Tx, id: string, data: Partial<ChannelData>) {
    return tx.notificationChannel.update({ where: { id }, data });
  }

  deleteChannel(tx: Tx, id: string) {
    return tx.notificationChannel.delete({ where: { id } });
  }

  // Turns up to `limit` new events into deliveries, one per matching channel. SKIP LOCKED lets replicas
  // fan out side by side; the unique (channel, event) makes a second delivery impossible anyway.
  async fanOut(limit: number): Promise<FanOutResult> {
    return this.prisma.$transaction(async (tx) => {
      const events = await tx.$queryRaw<UnfannedEvent[]>`
        SELECT e.id, e.seq, e.type, e.service_id, e.environment_id, e.channel_id, e.deployment_id,
          CASE WHEN e.incident_id IS NOT NULL THEN ARRAY(
            SELECT DISTINCT s.service_id::text FROM incident_stages i JOIN stages s ON s.id = i.stage_id
            WHERE i.incident_id = e.incident_id) END AS incident_service_ids,
          CASE WHEN e.incident_id IS NOT NULL THEN ARRAY(
            SELECT DISTINCT s.environment_id::text FROM incident_stages i JOIN stages s ON s.id = i.stage_id
            WHERE i.incident_id = e.incident_id) END AS incident_environment_ids,
          CASE WHEN e.type = 'approval.requested'
            THEN ARRAY(SELECT jsonb_array_elements(e.payload->'approvers')->>'id') END AS approver_ids
        FROM notification_events e
        WHERE e.fanned_out_at IS NULL
        ORDER BY e.seq
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED`;
      if (events.length === 0) return { events: 0, approvalRequests: [] };
      const channels = await tx.notificationChannel.findMany();
      const data = events.flatMap((event) =>
        channels
          .filter((channel) => channelMatches(channel, event))
          .map((channel) => ({ channelId: channel.id, eventId: event.id, eventSeq: event.seq })),
      );
      if (data.length) await tx.notificationDelivery.createMany({ data, skipDuplicates: true });
      await tx.notificationEvent.updateMany({
        where: { id: { in: events.map((event) => event.id) } },
        data: { fannedOutAt: new Date() },
      });
      return {
        events: events.length,
        approvalRequests: events.flatMap((event) =>
          event.approver_ids && event.deployment_id
            ? [{ deploymentId: event.deployment_id, approverIds: event.approver_ids }]
            : [],
        ),
      };
    });
  }

  // Up to `limit` deliveries to send now, at most one per channel: each channel's head, the oldest of its
  // pending deliveries in outbox order (`event_seq`), when it is due and not leased by a live dispatcher.
  // A head being sent or waiting out a retry holds back the rest of its channel; failed, dead and
  // succeeded deliveries are not pending, so they hold back nothing. A head is taken only when no older
  // event still waits to be fanned out (another replica may be fanning it out right now), or a later
  // delivery could go before an earlier one that does not exist yet. SKIP LOCKED and the recheck of the
  // lease on the locked row keep replicas from taking one head twice, and a replica whose snapshot
  // still sees a channel's head as pending never looks past it.
  async claimDue(owner: string, limit: number, leaseMs: number, now = new Date()): Promise<string[]> {
    const until = new Date(now.getTime() + leaseMs);
    const rows = await this.prisma.$queryRaw<Array<{ id: string }>>`
      WITH frontier AS (
        SELECT min(seq) AS seq FROM notification_events WHERE fanned_out_at IS NULL
      ), heads AS MATERIALIZED (
        SELECT h.id FROM notification_channels c
        CROSS JOIN LATERAL (
          SELECT d.id, d.event_seq, d.next_attempt_at, d.lease_owner, d.lease_expires_at
          FROM notification_deliveries d
          WHERE d.channel_id = c.id AND d.state = 'pending'
          ORDER BY d.event_seq
          LIMIT 1
        ) h, frontier f
        WHERE h.next_attempt_at <= ${now}
          AND (h.lease_owner IS NULL OR h.lease_expires_at < ${now})
          AND (f.seq IS NULL OR h.event_seq < f.seq)
      )
      UPDATE notification_deliveries SET lease_owner = ${owner}, lease_expires_at = ${until}
      WHERE id IN (
        SELECT d.id FROM notification_deliveries d
        WHERE d.id IN (SELECT id FROM heads)
          AND d.state = 'pending'
          AND d.next_attempt_at <= ${now}
          AND (d.lease_owner IS NULL OR d.lease_expires_at < ${now})
        ORDER BY d.next_attempt_at
        LIMIT ${limit}
        FOR UPDATE OF d SKIP LOCKED
      )
      RETURNING id`;
    return rows.map((row) => row.id);
  }

  findForSend(id: string, owner: string) {
    return this.prisma.notificationDelivery.findFirst({
      where: { id, leaseOwner: owner, state: 'pending' },
      include: deliveryForSendInclude,
    });
  }

  // Records one attempt and its outcome, only while this dispatcher still holds the lease: a dispatcher
  // that stalled past it writes nothing (the attempt number is unique per delivery, too).
  async recordAttempt(
    owner: string,
    id: string,
    attempt: {
      number: number;
      statusCode: number | null;
      error: string | null;
      durationMs: number;
      state: NotificationDeliveryState;
      nextAttemptAt: Date | null;
    },
  ): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const now = new Date();
      const { count } = await tx.notificationDelivery.updateMany({
        where: { id, leaseOwner: owner, state: 'pending', attempts: attempt.number - 1 },
        data: {
          state: attempt.state,
          attempts: attempt.number,
          nextAttemptAt: attempt.nextAttemptAt,
          lastStatusCode: attempt.statusCode,
          lastError: attempt.error,
          lastDurationMs: attempt.durationMs,
          leaseOwner: null,
          leaseExpiresAt: null,
          ...(attempt.state === 'succeeded' ? { deliveredAt: now } : {}),
        },
      });
      if (count === 0) return false;
      await tx.notificationDeliveryAttempt.create({
        data: {
          deliveryId: id,
          number: attempt.number,
          statusCode: attempt.statusCode,
          error: attempt.error,
          durationMs: attempt.durationMs,
          retryAt: attempt.state === 'pending' ? attempt.nextAttemptAt : null,
          attemptedAt: now,
        },
      });
      return true;
    });
  }

  async releaseAll(owner: string): Promise<void> {
    await this.prisma.notificationDelivery.updateMany({
      where: { leaseOwner: owner },
      data: { leaseOwner: null, leaseExpiresAt: null },
    });
  }

  listDeliveries(filter: {
    channelId?: string;
    state?: NotificationDeliveryState;
    eventType?: NotificationEventType;
    cursor?: Cursor;
    take: number;
  }) {
    return this.prisma.notificationDelivery.findMany({
      where: {
        ...(filter.channelId ? { channelId: filter.channelId } : {}),
        ...(filter.state ? { state: filter.state } : {}),
        ...(filter.eventType ? { event: { type: filter.eventType } } : {}),
        ...afterCursor(filter.cursor),
      },
      include: deliveryInclude,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: filter.take,
    });
  }

  findDelivery(id: string, tx: Tx = this.prisma) {
    return tx.notificationDelivery.findUnique({ where: { id }, include: deliveryInclude });
  }

  // A dead or refused delivery gets a fresh round of attempts; the log keeps the earlier ones.
  async requeue(tx: Tx, id: string, round: number): Promise<boolean> {
    const rows = await tx.$queryRaw<Array<{ id: string }>>`
      UPDATE notification_deliveries
      SET state = 'pending', next_attempt_at = now(), lease_owner = NULL, lease_expires_at = NULL,
          max_attempts = attempts + ${round}, updated_at = now()
      WHERE id = ${id}::uuid AND state IN ('dead', 'failed')
      RETURNING id`;
    return rows.length === 1;
  }
}
