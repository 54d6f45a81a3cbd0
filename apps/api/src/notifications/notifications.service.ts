import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type {
  CreateNotificationChannelBody,
  NotificationChannel,
  NotificationDelivery,
  NotificationDeliveryState,
  NotificationEventType,
  UpdateNotificationChannelBody,
} from '@flightdeck/contracts';
import { AuditService, type RequestMeta } from '../audit/audit.service.js';
import { ConflictError, NotFoundError, ValidationError } from '../common/errors.js';
import { decodeCursor, pageResult } from '../common/pagination.js';
import { PrismaService, type Tx } from '../database/prisma.service.js';
import { WorkSignal } from '../deployments/work-signal.js';
import { actorOf, type Principal } from '../identity/principal.js';
import { SecretBox } from '../secrets/secret-box.js';
import { sealChannelSecret, sealChannelUrl } from './notification-channel-secret.js';
import { auditedChannel, mapChannel, mapDelivery } from './notifications.mappers.js';
import { type ChannelRow, NotificationsRepository } from './notifications.repository.js';
import { recordNotificationEvent } from './outbox.js';

// A manual retry grants this many more attempts.
const RETRY_ROUND = 10;

function invalid(field: string, message: string): ValidationError {
  return new ValidationError('INVALID_BODY', `Invalid body parameter — ${field}: ${message}`, {
    issues: [{ field, message }],
  });
}

type ChannelInput = CreateNotificationChannelBody | UpdateNotificationChannelBody;

@Injectable()
export class NotificationsService {
  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(NotificationsRepository) private readonly repository: NotificationsRepository,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(SecretBox) private readonly secrets: SecretBox,
    @Inject(WorkSignal) private readonly work: WorkSignal,
  ) {}

  async listChannels(): Promise<{ items: NotificationChannel[] }> {
    return { items: (await this.repository.listChannels()).map(mapChannel) };
  }

  async createChannel(
    principal: Principal,
    input: CreateNotificationChannelBody,
    meta: RequestMeta,
  ): Promise<NotificationChannel> {
    const id = randomUUID();
    return this.prisma.$transaction(async (tx) => {
      await this.assertValid(tx, input, null);
      const row = await this.repository.createChannel(tx, {
        id,
        kind: input.kind,
        name: input.name,
        ...sealChannelUrl(this.secrets, id, input.url),
        secretSealed: input.secret === null ? null : sealChannelSecret(this.secrets, id, input.secret),
        eventTypes: input.eventTypes,
        serviceIds: input.serviceIds,
        environmentIds: input.environmentIds,
        enabled: input.enabled,
        createdBy: principal.user.email,
      });
      await this.audit.record(tx, {
        actor: actorOf(principal),
        action: 'notification_channel.create',
        outcome: 'success',
        target: { type: 'notification_channel', id },
        request: meta,
        after: auditedChannel(row),
      });
      return mapChannel(row);
    });
  }

  async updateChannel(
    principal: Principal,
    id: string,
    input: UpdateNotificationChannelBody,
    meta: RequestMeta,
  ): Promise<NotificationChannel> {
    return this.prisma.$transaction(async (tx) => {
      const before = await this.requireChannel(id, tx);
      await this.assertValid(tx, input, before);
      const row = await this.repository.updateChannel(tx, id, {
        kind: input.kind,
        name: input.name,
        ...this.urlToStore(id, input.url, before),
        ...(input.secret === undefined
          ? {}
          : {
              secretSealed: input.secret === null ? null : sealChannelSecret(this.secrets, id, input.secret),
            }),
        eventTypes: input.eventTypes,
        serviceIds: input.serviceIds,
        environmentIds: input.environmentIds,
        enabled: input.enabled,
      });
      await this.audit.record(tx, {
        actor: actorOf(principal),
        action: 'notification_channel.update',
        outcome: 'success',
        target: { type: 'notification_channel', id },
        request: meta,
        before: auditedChannel(before),
        after: {
          ...auditedChannel(row),
          ...(input.url !== undefined ? { urlChanged: true } : {}),
          ...(input.secret !== undefined ? { secretChanged: true } : {}),
        },
      });
      return mapChannel(row);
    });
  }

  async deleteChannel(principal: Principal, id: string, meta: RequestMeta): Promise<NotificationChannel> {
    return this.prisma.$transaction(async (tx) => {
      const before = await this.requireChannel(id, tx);
      await this.repository.deleteChannel(tx, id);
      await this.audit.record(tx, {
        actor: actorOf(principal),
        action: 'notification_channel.delete',
        outcome: 'success',
        target: { type: 'notification_channel', id },
        request: meta,
        before: auditedChannel(before),
      });
      return mapChannel(before);
    });
  }

  // The event goes only to this channel, through the same outbox, dispatcher and log as any other.
  async sendTest(principal: Principal, id: string): Promise<NotificationDelivery> {
    const deliveryId = await this.prisma.$transaction(async (tx) => {
      const channel = await this.requireChannel(id, tx);
      const eventId = await recordNotificationEvent(tx, {
        type: 'test',
        channelId: channel.id,
        payload: { message: `Test notification from Flightdeck, sent by ${principal.user.email}` },
      });
      // Created here rather than by the fan-out, so the answer can name the delivery to follow.
      const { seq } = await tx.notificationEvent.findUniqueOrThrow({
        where: { id: eventId },
        select: { seq: true },
      });
      const delivery = await tx.notificationDelivery.create({
        data: { channelId: channel.id, eventId, eventSeq: seq },
        select: { id: true },
      });
      await tx.notificationEvent.update({ where: { id: eventId }, data: { fannedOutAt: new Date() } });
      return delivery.id;
    });
    this.work.notify();
    return this.requireDelivery(deliveryId);
  }

  async listDeliveries(query: {
    limit: number;
    cursor?: string;
    channelId?: string;
    state?: NotificationDeliveryState;
    eventType?: NotificationEventType;
  }): Promise<{ items: NotificationDelivery[]; nextCursor: string | null }> {
    const rows = await this.repository.listDeliveries({
      channelId: query.channelId,
      state: query.state,
      eventType: query.eventType,
      cursor: decodeCursor(query.cursor),
      take: query.limit + 1,
    });
    return pageResult(rows, query.limit, mapDelivery);
  }

  async retryDelivery(principal: Principal, id: string, meta: RequestMeta): Promise<NotificationDelivery> {
    await this.prisma.$transaction(async (tx) => {
      const delivery = await this.repository.findDelivery(id, tx);
      if (!delivery) throw new NotFoundError('DELIVERY_NOT_FOUND', 'No such notification delivery');
      if (!(await this.repository.requeue(tx, id, RETRY_ROUND))) {
        throw new ConflictError(
          'DELIVERY_NOT_RETRYABLE',
          delivery.state === 'succeeded'
            ? 'This notification was delivered already'
            : 'This notification is still being delivered',
          { state: delivery.state },
        );
      }
      await this.audit.record(tx, {
        actor: actorOf(principal),
        action: 'notification_delivery.retry',
        outcome: 'success',
        target: { type: 'notification_delivery', id },
        request: meta,
        before: { state: delivery.state, attempts: delivery.attempts },
        after: { state: 'pending' },
      });
    });
    this.work.notify();
    return this.requireDelivery(id);
  }

  // A new URL is sealed; a legacy plain one is sealed on this write; a sealed one is kept as it is.
  private urlToStore(id: string, url: string | undefined, before: ChannelRow) {
    if (url !== undefined) return sealChannelUrl(this.secrets, id, url);
    if (before.urlSealed === null && before.url !== null) return sealChannelUrl(this.secrets, id, before.url);
    return {};
  }

  private async requireChannel(id: string, tx: Tx): Promise<ChannelRow> {
    const channel = await this.repository.findChannel(id, tx);
    if (!channel) throw new NotFoundError('CHANNEL_NOT_FOUND', 'No such notification channel');
    return channel;
  }

  private async requireDelivery(id: string): Promise<NotificationDelivery> {
    const row = await this.repository.findDelivery(id);
    if (!row) throw new NotFoundError('DELIVERY_NOT_FOUND', 'No such notification delivery');
    return mapDelivery(row);
  }

  // Names must be unique, filters must name things that exist, and only webhooks are signed.
  private async assertValid(tx: Tx, input: ChannelInput, current: ChannelRow | null): Promise<void> {
    if (input.kind === 'slack' && input.secret) {
      throw invalid('secret', 'Slack incoming webhooks are not signed; leave it empty');
    }
    const clash = await this.repository.findChannelByName(input.name, tx);
    if (clash && clash.id !== current?.id) {
      throw new ConflictError('CHANNEL_NAME_TAKEN', `A channel named "${input.name}" exists already`, {
        field: 'name',
      });
    }
    const services = await tx.service.findMany({
      where: { id: { in: input.serviceIds } },
      select: { id: true },
    });
    const missingService = input.serviceIds.findIndex((sid) => !services.some((s) => s.id === sid));
    if (missingService >= 0) throw invalid(`serviceIds.${missingService}`, 'no such service');
    const environments = await tx.environment.findMany({
      where: { id: { in: input.environmentIds } },
      select: { id: true },
    });
    const missingEnv = input.environmentIds.findIndex((eid) => !environments.some((e) => e.id === eid));
    if (missingEnv >= 0) throw invalid(`environmentIds.${missingEnv}`, 'no such environment');
  }
}
