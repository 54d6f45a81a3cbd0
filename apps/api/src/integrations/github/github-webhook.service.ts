import { Inject, Injectable } from '@nestjs/common';
import type { ResponseOf, endpoints } from '@flightdeck/contracts';
import { Webhooks } from '@octokit/webhooks';
import type { Logger } from 'pino';
import { UnauthenticatedError, ValidationError } from '../../common/errors.js';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { LOGGER } from '../../logging/logger.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { GitHubDeliveriesRepository } from './github-deliveries.repository.js';
import { GitHubDeliveryProcessor } from './github-delivery.processor.js';
import { repositoryOf } from './github-release-rules.js';

export interface GitHubWebhookRequest {
  // The exact bytes received: the signature covers them.
  readonly rawBody: Buffer | undefined;
  readonly contentType: string | undefined;
  readonly event: string | undefined;
  readonly deliveryId: string | undefined;
  readonly signature: string | undefined;
}

const DELIVERY_ID = /^[A-Za-z0-9-]{1,100}$/;
const EVENT = /^[a-z_]{1,60}$/;

// Receives GitHub's deliveries: the signature first (401, nothing stored), then one row per
// X-GitHub-Delivery, answered at once; the processor does the work in the background.
@Injectable()
export class GitHubWebhookService {
  private readonly webhooks: Webhooks | null;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(GitHubDeliveriesRepository) private readonly deliveries: GitHubDeliveriesRepository,
    @Inject(GitHubDeliveryProcessor) private readonly processor: GitHubDeliveryProcessor,
  ) {
    const secret = config.github.webhookSecret;
    this.webhooks = secret ? new Webhooks({ secret }) : null;
  }

  async receive(request: GitHubWebhookRequest): Promise<ResponseOf<typeof endpoints.githubWebhook>> {
    const raw = request.rawBody ?? Buffer.alloc(0);
    const text = raw.toString('utf8');
    const verified =
      this.webhooks !== null &&
      typeof request.signature === 'string' &&
      (await this.webhooks.verify(text, request.signature).catch(() => false));
    if (!verified) {
      // Anyone can reach this endpoint: a warning in the log, nothing in the database.
      this.logger.warn(
        { github: { delivery: request.deliveryId?.slice(0, 100), event: request.event?.slice(0, 60) } },
        this.webhooks
          ? 'GitHub webhook refused: bad or missing signature'
          : 'GitHub webhook refused: no secret set',
      );
      throw new UnauthenticatedError(
        'INVALID_SIGNATURE',
        'X-Hub-Signature-256 is missing or does not match the body signed with the webhook secret',
      );
    }
    if (!request.deliveryId || !DELIVERY_ID.test(request.deliveryId))
      throw new ValidationError('GITHUB_DELIVERY_MISSING', 'X-GitHub-Delivery is missing or malformed', {
        field: 'X-GitHub-Delivery',
      });
    if (!request.event || !EVENT.test(request.event))
      throw new ValidationError('GITHUB_EVENT_MISSING', 'X-GitHub-Event is missing or malformed', {
        field: 'X-GitHub-Event',
      });
    const payload = parsePayload(text, request.contentType);
    const inserted = await this.deliveries.insert({
      deliveryId: request.deliveryId,
      event: request.event,
      action: typeof payload.action === 'string' ? payload.action.slice(0, 100) : null,
      repoFullName: repositoryOf(payload),
      payload: payload as Prisma.InputJsonValue,
    });
    if (inserted) this.processor.wake();
    return { deliveryId: request.deliveryId, duplicate: !inserted };
  }
}

// GitHub sends JSON, or a form with the JSON in `payload` when the webhook is set to that.
function parsePayload(text: string, contentType: string | undefined): Record<string, unknown> {
  let value: unknown;
  try {
    value = /application\/x-www-form-urlencoded/i.test(contentType ?? '')
      ? JSON.parse(new URLSearchParams(text).get('payload') ?? '')
      : JSON.parse(text);
  } catch {
    value = null;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new ValidationError('GITHUB_PAYLOAD_INVALID', 'The body is not a JSON object', { field: 'body' });
  return value as Record<string, unknown>;
}
