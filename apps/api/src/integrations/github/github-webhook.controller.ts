import { Controller, Inject, Req, type RawBodyRequest } from '@nestjs/common';
import { endpoints, type ResponseOf } from '@flightdeck/contracts';
import type { Request } from 'express';
import { Endpoint } from '../../common/endpoint.decorator.js';
import { GitHubWebhookService } from './github-webhook.service.js';

const e = endpoints;
const header = (req: Request, name: string): string | undefined => {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
};

@Controller()
export class GitHubWebhookController {
  constructor(@Inject(GitHubWebhookService) private readonly webhooks: GitHubWebhookService) {}

  // The body is read as bytes (server.ts): the signature covers them, and it is parsed only once signed.
  @Endpoint(e.githubWebhook)
  receive(@Req() req: RawBodyRequest<Request>): Promise<ResponseOf<typeof e.githubWebhook>> {
    return this.webhooks.receive({
      rawBody: Buffer.isBuffer(req.body) ? req.body : req.rawBody,
      contentType: header(req, 'content-type'),
      event: header(req, 'x-github-event'),
      deliveryId: header(req, 'x-github-delivery'),
      signature: header(req, 'x-hub-signature-256'),
    });
  }
}
