import { Inject, Injectable } from '@nestjs/common';
import type { BodyOutputOf, endpoints, StageDetail } from '@flightdeck/contracts';
import { AuditService, type RequestMeta } from '../audit/audit.service.js';
import { ConflictError, NotFoundError, ValidationError } from '../common/errors.js';
import { PrismaService } from '../database/prisma.service.js';
import { argoTokenAad, openArgoToken, parseArgoConfig } from '../drivers/argocd/argocd-config.js';
import {
  openWebhookSecret,
  parseWebhookConfig,
  webhookSecretAad,
} from '../drivers/webhook/webhook-config.js';
import { LiveEvents } from '../events/live-events.service.js';
import type { DriverKind, Prisma } from '../generated/prisma/client.js';
import { AuthzService } from '../identity/authz.service.js';
import { actorOf, type Principal } from '../identity/principal.js';
import { SecretBox } from '../secrets/secret-box.js';
import { type DriverInput, mapStageDetail, sameConfig } from './stage-driver-config.js';
import { type StageChanges, type StageDetailRow, StagesRepository } from './stages.repository.js';

type UpdateStageBody = BodyOutputOf<typeof endpoints.updateStage>;

const SECRET_FIELD = 'driver.config.secret';
const TOKEN_FIELD = 'driver.config.token';

// A stage's settings: its driver (with write-only secrets), soak time and deadline.
@Injectable()
export class StagesService {
  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(StagesRepository) private readonly stages: StagesRepository,
    @Inject(AuthzService) private readonly authz: AuthzService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(LiveEvents) private readonly events: LiveEvents,
    @Inject(SecretBox) private readonly secrets: SecretBox,
  ) {}

  async get(stageId: string): Promise<StageDetail> {
    return mapStageDetail(this.found(await this.stages.find(stageId), stageId));
  }

  async update(
    principal: Principal,
    stageId: string,
    body: UpdateStageBody,
    meta: RequestMeta,
  ): Promise<StageDetail> {
    const stage = this.found(await this.stages.find(stageId), stageId);
    await this.authz.assertOnService(
      principal,
      'catalog:write',
      { service: stage.service, type: 'stage', id: stage.id },
      meta,
    );
    const result = await this.prisma.$transaction(async (tx) => {
      await this.stages.lock(tx, stageId);
      // Read again under the lock: the stage may have changed since the permission check.
      const current = this.found(await this.stages.find(stageId, tx), stageId);
      const changes: StageChanges = {};
      if (body.driver) {
        const next = this.driverConfig(current, body.driver);
        if (next.kind !== current.driverKind || !sameConfig(next.config, current.driverConfig)) {
          // A running deployment keeps talking to the driver it started with (and its secret).
          const active = await this.stages.findActiveDeployment(tx, stageId);
          if (active) {
            throw new ConflictError(
              'STAGE_BUSY',
              `A deployment of this stage is ${active.status}; change the driver once it has finished`,
              { deploymentId: active.id, status: active.status },
            );
          }
          changes.driverKind = next.kind;
          changes.driverConfig = next.config;
        }
      }
      if (body.soakSeconds !== undefined && body.soakSeconds !== current.soakSeconds)
        changes.soakSeconds = body.soakSeconds;
      if (body.deadlineSeconds !== undefined && body.deadlineSeconds !== current.deadlineSeconds)
        changes.deadlineSeconds = body.deadlineSeconds;
      if (body.requiredChecks !== undefined && !sameConfig(body.requiredChecks, current.requiredChecks))
        changes.requiredChecks = body.requiredChecks;
      if (Object.keys(changes).length === 0) return { detail: mapStageDetail(current), changed: false };

      const updated = await this.stages.update(tx, stageId, changes);
      const before = mapStageDetail(current);
      const after = mapStageDetail(updated);
      await this.audit.record(tx, {
        actor: actorOf(principal),
        action: 'stage.update',
        outcome: 'success',
        target: { type: 'stage', id: stageId },
        request: meta,
        before,
        after,
      });
      return { detail: after, changed: true };
    });
    if (result.changed) {
      await this.events.publish({
        type: 'stage.updated',
        stageId,
        serviceSlug: stage.service.slug,
        environmentSlug: stage.environment.slug,
        at: new Date().toISOString(),
      });
    }
    return result.detail;
  }

  // What the stage will store; a webhook secret is sealed to this stage, or the stored one is kept.
  private driverConfig(
    current: StageDetailRow,
    driver: DriverInput,
  ): { kind: DriverKind; config: Prisma.InputJsonObject } {
    if (driver.kind === 'sandbox') return { kind: 'sandbox', config: { ...driver.config } };
    if (driver.kind === 'record') return { kind: 'record', config: {} };
    if (driver.kind === 'argocd') return this.argoConfig(current, driver.config);
    if (driver.kind === 'github_actions') return { kind: 'github_actions', config: { ...driver.config } };
    const { secret, ...settings } = driver.config;
    const stored = current.driverKind === 'webhook' ? parseWebhookConfig(current.driverConfig) : null;
    const storedSecret = stored ? this.openStored(current.id, stored) : null;
    let secretSealed: string;
    if (secret !== undefined) {
      // The same secret again keeps its sealed value, so saving unchanged settings changes nothing.
      secretSealed =
        stored?.secretSealed && storedSecret === secret
          ? stored.secretSealed
          : this.secrets.seal(secret, webhookSecretAad(current.id));
    } else if (stored?.secretSealed && storedSecret !== null) {
      secretSealed = stored.secretSealed;
    } else {
      throw new ValidationError(
        'WEBHOOK_SECRET_REQUIRED',
        `${SECRET_FIELD}: required, as this stage has no webhook secret stored yet`,
        {
          issues: [{ field: SECRET_FIELD, message: 'required: this stage has no webhook secret stored yet' }],
        },
      );
    }
    return { kind: 'webhook', config: { ...settings, secretSealed } };
  }

  // An Argo CD token is sealed to this stage like a webhook secret; leaving it out keeps the stored one.
  private argoConfig(
    current: StageDetailRow,
    input: Extract<DriverInput, { kind: 'argocd' }>['config'],
  ): { kind: DriverKind; config: Prisma.InputJsonObject } {
    const { token, ...settings } = input;
    const stored = current.driverKind === 'argocd' ? parseArgoConfig(current.driverConfig) : null;
    let storedToken: string | null;
    try {
      storedToken = stored ? openArgoToken(this.secrets, current.id, stored) : null;
    } catch {
      // Sealed under another key: it counts as missing.
      storedToken = null;
    }
    let tokenSealed: string;
    if (token !== undefined) {
      tokenSealed =
        stored?.tokenSealed && storedToken === token
          ? stored.tokenSealed
          : this.secrets.seal(token, argoTokenAad(current.id));
    } else if (stored?.tokenSealed && storedToken !== null) {
      tokenSealed = stored.tokenSealed;
    } else {
      throw new ValidationError(
        'ARGOCD_TOKEN_REQUIRED',
        `${TOKEN_FIELD}: required, as this stage has no Argo CD token stored yet`,
        { issues: [{ field: TOKEN_FIELD, message: 'required: this stage has no Argo CD token stored yet' }] },
      );
    }
    return {
      kind: 'argocd',
      config: {
        ...settings,
        mapping: { ...settings.mapping },
        syncOptions: [...settings.syncOptions],
        tokenSealed,
      },
    };
  }

  // A secret sealed under another key cannot be used; it counts as missing.
  private openStored(stageId: string, stored: NonNullable<ReturnType<typeof parseWebhookConfig>>) {
    try {
      return openWebhookSecret(this.secrets, stageId, stored);
    } catch {
      return null;
    }
  }

  private found(stage: StageDetailRow | null, stageId: string): StageDetailRow {
    if (!stage) throw new NotFoundError('STAGE_NOT_FOUND', `No stage with id "${stageId}"`);
    return stage;
  }
}
