import { Inject, Injectable } from '@nestjs/common';
import { type ResponseOf, endpoints, webhookCallbackBodySchema } from '@flightdeck/contracts';
import { AuditService, type AuditActor, type RequestMeta } from '../audit/audit.service.js';
import { NotFoundError, UnauthenticatedError } from '../common/errors.js';
import { ZodPipe } from '../common/zod.pipe.js';
import { ExternalStatusService } from '../deployments/external-status.service.js';
import { openWebhookSecret, parseWebhookConfig } from '../drivers/webhook/webhook-config.js';
import { verifyWebhookSignature } from '../drivers/webhook/webhook-signature.js';
import { SecretBox } from '../secrets/secret-box.js';
import { HooksRepository } from './hooks.repository.js';

const UNSIGNED: AuditActor = { type: 'anonymous', id: null, name: 'webhook' };

export interface SignedRequest {
  // The exact bytes received: the signature covers them, not a re-serialisation of the parsed JSON.
  readonly rawBody: Buffer | undefined;
  readonly body: unknown;
  readonly signature: string | string[] | undefined;
}

// Status reports from webhook targets. Only a request signed with the stage's secret moves anything.
@Injectable()
export class WebhookCallbacksService {
  constructor(
    @Inject(HooksRepository) private readonly hooks: HooksRepository,
    @Inject(SecretBox) private readonly secrets: SecretBox,
    @Inject(ExternalStatusService) private readonly status: ExternalStatusService,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  async receive(
    deploymentId: string,
    request: SignedRequest,
    meta: RequestMeta,
  ): Promise<ResponseOf<typeof endpoints.webhookCallback>> {
    const target = await this.hooks.findCallbackTarget(deploymentId);
    if (!target) throw new NotFoundError('DEPLOYMENT_NOT_FOUND', `No deployment with id "${deploymentId}"`);
    const config = target.driverKind === 'webhook' ? parseWebhookConfig(target.driverConfig) : null;
    const secret = config ? this.openSecret(target.stageId, config) : null;
    if (
      !config ||
      secret === null ||
      !verifyWebhookSignature(secret, request.rawBody ?? '', request.signature)
    ) {
      await this.audit.recordAlone({
        actor: UNSIGNED,
        action: 'access.denied',
        outcome: 'denied',
        target: { type: 'deployment', id: deploymentId },
        reason: 'webhook callback: missing or invalid X-Flightdeck-Signature',
        request: meta,
      });
      throw new UnauthenticatedError(
        'INVALID_SIGNATURE',
        'X-Flightdeck-Signature is missing or does not match the body signed with the stage secret',
      );
    }
    // Validated only once signed: strangers learn nothing about what a valid report looks like.
    const report = new ZodPipe(webhookCallbackBodySchema, 'body').transform(request.body);
    const actor: AuditActor = { type: 'system', id: null, name: `webhook:${new URL(config.url).host}` };
    const deployment = await this.status.apply(deploymentId, report, actor, meta);
    return { accepted: true, status: deployment.status };
  }

  private openSecret(stageId: string, config: NonNullable<ReturnType<typeof parseWebhookConfig>>) {
    try {
      return openWebhookSecret(this.secrets, stageId, config);
    } catch {
      return null;
    }
  }
}
