import { Inject, Injectable } from '@nestjs/common';
import type { StageVerification, VerificationConfig } from '@flightdeck/contracts';
import { AuditService, type RequestMeta } from '../audit/audit.service.js';
import { ValidationError } from '../common/errors.js';
import { PrismaService } from '../database/prisma.service.js';
import { GateFacts } from '../deployments/gate-facts.js';
import { LiveEvents } from '../events/live-events.service.js';
import { AuthzService } from '../identity/authz.service.js';
import { actorOf, type Principal } from '../identity/principal.js';
import { parseVerificationConfig } from './verifier.js';

// A stage's verification settings: what is checked after the driver reports done, and whether a
// failed check rolls the stage back by itself.
@Injectable()
export class StageVerificationService {
  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(GateFacts) private readonly gates: GateFacts,
    @Inject(AuthzService) private readonly authz: AuthzService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(LiveEvents) private readonly events: LiveEvents,
  ) {}

  async get(stageId: string): Promise<StageVerification> {
    await this.gates.requireStage(stageId);
    const stage = await this.prisma.stage.findUniqueOrThrow({
      where: { id: stageId },
      select: { verification: true, autoRollback: true },
    });
    return { verification: parseVerificationConfig(stage.verification), autoRollback: stage.autoRollback };
  }

  async put(
    principal: Principal,
    stageId: string,
    body: { verification: VerificationConfig; autoRollback: boolean },
    meta: RequestMeta,
  ): Promise<StageVerification> {
    const stage = await this.gates.requireStage(stageId);
    await this.authz.assertOnService(
      principal,
      'catalog:write',
      { service: stage.service, environment: stage.environment, type: 'stage', id: stageId },
      meta,
    );
    const names = [...body.verification.http, ...body.verification.metrics].map((check) => check.name);
    const repeated = names.find((name, index) => names.indexOf(name) !== index);
    if (repeated) {
      throw new ValidationError(
        'DUPLICATE_CHECK_NAME',
        `Two checks are named "${repeated}"; names must differ`,
        {
          issues: [{ field: 'verification', message: `"${repeated}" is used twice` }],
        },
      );
    }
    const before = await this.get(stageId);
    await this.prisma.$transaction(async (tx) => {
      await tx.stage.update({
        where: { id: stageId },
        data: {
          verification: body.verification,
          autoRollback: body.autoRollback,
        },
      });
      await this.audit.record(tx, {
        actor: actorOf(principal),
        action: 'stage.verification',
        outcome: 'success',
        target: { type: 'stage', id: stageId },
        request: meta,
        before,
        after: body,
      });
    });
    await this.events.publish({
      type: 'stage.updated',
      stageId,
      serviceSlug: stage.service.slug,
      environmentSlug: stage.environment.slug,
      at: new Date().toISOString(),
    });
    return { verification: body.verification, autoRollback: body.autoRollback };
  }
}
