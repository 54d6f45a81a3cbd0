import { Controller, Inject } from '@nestjs/common';
import {
  type BodyOutputOf,
  endpoints,
  type ParamsOutputOf,
  type QueryOf,
  type ResponseOf,
} from '@flightdeck/contracts';
import type { RequestMeta } from '../audit/audit.service.js';
import { Endpoint } from '../common/endpoint.decorator.js';
import { ValidBody, ValidParams, ValidQuery } from '../common/endpoint-input.decorator.js';
import type { Principal } from '../identity/principal.js';
import { CurrentPrincipal, Meta } from '../identity/request-meta.js';
import { NotificationsService } from './notifications.service.js';

const e = endpoints;

@Controller()
export class NotificationsController {
  constructor(@Inject(NotificationsService) private readonly notifications: NotificationsService) {}

  @Endpoint(e.listNotificationChannels)
  listChannels(): Promise<ResponseOf<typeof e.listNotificationChannels>> {
    return this.notifications.listChannels();
  }

  @Endpoint(e.createNotificationChannel)
  createChannel(
    @ValidBody() body: BodyOutputOf<typeof e.createNotificationChannel>,
    @CurrentPrincipal() principal: Principal,
    @Meta() meta: RequestMeta,
  ): Promise<ResponseOf<typeof e.createNotificationChannel>> {
    return this.notifications.createChannel(principal, body, meta);
  }

  @Endpoint(e.updateNotificationChannel)
  updateChannel(
    @ValidParams() params: ParamsOutputOf<typeof e.updateNotificationChannel>,
    @ValidBody() body: BodyOutputOf<typeof e.updateNotificationChannel>,
    @CurrentPrincipal() principal: Principal,
    @Meta() meta: RequestMeta,
  ): Promise<ResponseOf<typeof e.updateNotificationChannel>> {
    return this.notifications.updateChannel(principal, params.id, body, meta);
  }

  @Endpoint(e.deleteNotificationChannel)
  deleteChannel(
    @ValidParams() params: ParamsOutputOf<typeof e.deleteNotificationChannel>,
    @CurrentPrincipal() principal: Principal,
    @Meta() meta: RequestMeta,
  ): Promise<ResponseOf<typeof e.deleteNotificationChannel>> {
    return this.notifications.deleteChannel(principal, params.id, meta);
  }

  @Endpoint(e.testNotificationChannel)
  testChannel(
    @ValidParams() params: ParamsOutputOf<typeof e.testNotificationChannel>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ResponseOf<typeof e.testNotificationChannel>> {
    return this.notifications.sendTest(principal, params.id);
  }

  @Endpoint(e.listNotificationDeliveries)
  listDeliveries(
    @ValidQuery() query: QueryOf<typeof e.listNotificationDeliveries>,
  ): Promise<ResponseOf<typeof e.listNotificationDeliveries>> {
    return this.notifications.listDeliveries(query);
  }

  @Endpoint(e.retryNotificationDelivery)
  retryDelivery(
    @ValidParams() params: ParamsOutputOf<typeof e.retryNotificationDelivery>,
    @CurrentPrincipal() principal: Principal,
    @Meta() meta: RequestMeta,
  ): Promise<ResponseOf<typeof e.retryNotificationDelivery>> {
    return this.notifications.retryDelivery(principal, params.id, meta);
  }
}
