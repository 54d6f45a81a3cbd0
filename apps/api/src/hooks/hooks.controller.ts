import { Controller, Inject, Req, type RawBodyRequest } from '@nestjs/common';
import { endpoints, type ParamsOutputOf, type ResponseOf } from '@flightdeck/contracts';
import type { Request } from 'express';
import type { RequestMeta } from '../audit/audit.service.js';
import { Endpoint } from '../common/endpoint.decorator.js';
import { ValidParams } from '../common/endpoint-input.decorator.js';
import { Meta } from '../identity/request-meta.js';
import { SIGNATURE_HEADER } from '../drivers/webhook/webhook-signature.js';
import { WebhookCallbacksService } from './webhook-callbacks.service.js';

const e = endpoints;

@Controller()
export class HooksController {
  constructor(@Inject(WebhookCallbacksService) private readonly callbacks: WebhookCallbacksService) {}

  // The body is checked by the service after the signature, against the contract's schema.
  @Endpoint(e.webhookCallback)
  deploymentStatus(
    @ValidParams() params: ParamsOutputOf<typeof e.webhookCallback>,
    @Req() req: RawBodyRequest<Request>,
    @Meta() meta: RequestMeta,
  ): Promise<ResponseOf<typeof e.webhookCallback>> {
    return this.callbacks.receive(
      params.id,
      { rawBody: req.rawBody, body: req.body as unknown, signature: req.headers[SIGNATURE_HEADER] },
      meta,
    );
  }
}
