import { Inject, Injectable } from '@nestjs/common';
import type { StageLock } from '@flightdeck/contracts';
import { AuditService, type RequestMeta } from '../audit/audit.service.js';
import { NotFoundError } from '../common/errors.js';
import { PrismaService } from '../database/prisma.service.js';
import { LiveEvents } from '../events/live-events.service.js';
import { AuthzService } from '../identity/authz.service.js';
import { actorOf, type Principal } from '../identity/principal.js';

type LockFields = { lockedBy: string | null; lockReason: string | null; lockedAt: Date | null } | null;

function mapLock(stageId: string, state: LockFields): StageLock {
  return {
    stageId,
    lock:
      state?.lockedBy && state.lockedAt
        ? { by: state.lockedBy, reason: state.lockReason ?? '', at: state.lockedAt.toISOString() }
        : null,
  };
}

// A person stops deploys to one stage, with a reason; who may do it follows who may deploy there.
@Injectable()
export class LocksService {
  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(AuthzService) private readonly authz: AuthzService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(LiveEvents) private readonly events: LiveEvents,
  ) {}

  lock(principal: Principal, stageId: string, reason: string, meta: RequestMeta): Promise<StageLock> {
    return this.change(principal, stageId, meta, {
      lockedBy: principal.user.email,
      lockReason: reason,
      lockedAt: new Date(),
    });
  }

  unlock(principal: Principal, stageId: string, meta: RequestMeta): Promise<StageLock> {
    return this.change(principal, stageId, meta, { lockedBy: null, lockReason: null, lockedAt: null });
  }

  private async change(
    principal: Principal,
    stageId: string,
    meta: RequestMeta,
    fields: { lockedBy: string | null; lockReason: string | null; lockedAt: Date | null },
  ): Promise<StageLock> {
    const stage = await this.prisma.stage.findUnique({
      where: { id: stageId },
      include: {
        service: { select: { id: true, slug: true, teamId: true } },
        environment: { select: { id: true, slug: true } },
      },
    });
    if (!stage) throw new NotFoundError('STAGE_NOT_FOUND', `No stage with id "${stageId}"`);
    await this.authz.assertOnService(
      principal,
      'deployments:write',
      { service: stage.service, environment: stage.environment, type: 'stage', id: stage.id },
      meta,
    );
    const result = await this.prisma.$transaction(async (tx) => {
      const before = await tx.stageState.findUnique({ where: { stageId } });
      const after = await tx.stageState.upsert({
        where: { stageId },
        create: { stageId, ...fields },
        update: fields,
      });
      const locking = fields.lockedBy !== null;
      await this.audit.record(tx, {
        actor: actorOf(principal),
        action: locking ? 'stage.lock' : 'stage.unlock',
        outcome: 'success',
        target: { type: 'stage', id: stageId },
        reason: locking ? fields.lockReason : null,
        request: meta,
        before: mapLock(stageId, before).lock,
        after: mapLock(stageId, after).lock,
      });
      return mapLock(stageId, after);
    });
    await this.events.publish({
      type: 'stage.updated',
      stageId,
      serviceSlug: stage.service.slug,
      environmentSlug: stage.environment.slug,
      at: new Date().toISOString(),
    });
    return result;
  }
}
