import { Inject, Injectable } from '@nestjs/common';
import type {
  ConfirmChecklistItemBody,
  DeploymentDetail,
  PutStageChecklistBody,
  StageChecklist,
} from '@flightdeck/contracts';
import { AuditService, type RequestMeta } from '../audit/audit.service.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../common/errors.js';
import { PrismaService } from '../database/prisma.service.js';
import { DeploymentRequestsService, lockStages } from '../deployments/deployment-requests.service.js';
import { DeploymentsService } from '../deployments/deployments.service.js';
import { GateFacts } from '../deployments/gate-facts.js';
import { DeploymentTransitions } from '../deployments/transitions.service.js';
import { WorkSignal } from '../deployments/work-signal.js';
import { actorOf, type Principal } from '../identity/principal.js';
import { checklistItemsOf, confirmationsOf, replaceItems } from './checklist-items.js';
import { ChecklistsRepository } from './checklists.repository.js';

@Injectable()
export class ChecklistsService {
  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(ChecklistsRepository) private readonly checklists: ChecklistsRepository,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(GateFacts) private readonly gates: GateFacts,
    @Inject(DeploymentRequestsService) private readonly requests: DeploymentRequestsService,
    @Inject(DeploymentTransitions) private readonly transitions: DeploymentTransitions,
    @Inject(DeploymentsService) private readonly deployments: DeploymentsService,
    @Inject(WorkSignal) private readonly work: WorkSignal,
  ) {}

  async getForStage(stageId: string): Promise<StageChecklist> {
    const stage = await this.checklists.stage(stageId);
    if (!stage) throw new NotFoundError('STAGE_NOT_FOUND', `No stage with id "${stageId}"`);
    return { stageId, items: checklistItemsOf(stage.checklist) };
  }

  async putForStage(
    principal: Principal,
    stageId: string,
    body: PutStageChecklistBody,
    meta: RequestMeta,
  ): Promise<StageChecklist> {
    const result = await this.prisma.$transaction(async (tx) => {
      await lockStages(tx, [stageId]);
      const stage = await this.checklists.stage(stageId, tx);
      if (!stage) throw new NotFoundError('STAGE_NOT_FOUND', `No stage with id "${stageId}"`);
      const before = checklistItemsOf(stage.checklist);
      const items = replaceItems(
        before,
        body.items.map((item) => item.text),
      );
      await this.checklists.setStageItems(stageId, items, tx);
      await this.audit.record(tx, {
        actor: actorOf(principal),
        action: 'stage_checklist.update',
        outcome: 'success',
        target: { type: 'stage', id: stageId },
        request: meta,
        before: { items: before },
        after: { items },
      });
      return { stageId, items };
    });
    // Fewer items may let a waiting deployment start: let the runner look again.
    this.work.notify();
    return result;
  }

  async confirm(
    principal: Principal,
    id: string,
    body: ConfirmChecklistItemBody,
    meta: RequestMeta,
  ): Promise<DeploymentDetail> {
    const deployment = await this.checklists.deployment(id);
    if (!deployment) throw new NotFoundError('DEPLOYMENT_NOT_FOUND', `No deployment with id "${id}"`);
    const actor = actorOf(principal);
    const isRequester = (requestedBy: string) =>
      requestedBy === principal.user.email || requestedBy === actor.name;
    if (!isRequester(deployment.requestedBy)) {
      const message = `Only the requester (${deployment.requestedBy}) confirms this deployment's checklist`;
      // Refusals are written to the ledger before the 403, outside the transaction.
      await this.audit.recordAlone({
        actor,
        action: 'access.denied',
        outcome: 'denied',
        target: { type: 'deployment', id },
        reason: `checklist: ${message}`,
        request: meta,
      });
      throw new ForbiddenError('NOT_THE_REQUESTER', message);
    }

    const moved = await this.prisma.$transaction(async (tx) => {
      // Lock order (ADR 0005): the stage first, then the deployment; the audit last.
      await lockStages(tx, [deployment.stageId]);
      const current = await this.checklists.deployment(id, tx);
      if (!current) throw new NotFoundError('DEPLOYMENT_NOT_FOUND', `No deployment with id "${id}"`);
      if (current.status !== 'pending') {
        throw new ConflictError(
          'DEPLOYMENT_NOT_PENDING',
          `This deployment is ${current.status}; its checklist can no longer change`,
          { status: current.status },
        );
      }
      const stage = await this.gates.requireStage(current.stageId, tx);
      const item = checklistItemsOf(stage.checklist).find((entry) => entry.id === body.itemId);
      if (!item) {
        throw new ValidationError(
          'CHECKLIST_ITEM_NOT_FOUND',
          `The stage's checklist has no item "${body.itemId}"`,
          {
            issues: [{ field: 'itemId', message: 'is not an item of this stage’s checklist' }],
          },
        );
      }
      const confirmations = confirmationsOf(current.checklist);
      // Confirming twice keeps the first confirmation.
      if (confirmations.some((entry) => entry.itemId === item.id)) return null;
      await this.checklists.setConfirmations(
        id,
        [...confirmations, { itemId: item.id, by: principal.user.email, at: new Date().toISOString() }],
        tx,
      );
      // The gates as they stand with this confirmation, read before the audit event takes its lock.
      const gates = await this.gates.evaluate(stage, current.release, { tx, self: id, action: current.kind });
      await this.audit.record(tx, {
        actor,
        action: 'deployment.checklist_confirm',
        outcome: 'success',
        target: { type: 'deployment', id },
        request: meta,
        after: { itemId: item.id, text: item.text },
      });
      // The last item confirmed starts it when nothing else is in the way, in this same transaction.
      return this.requests.queueIfClear(tx, id, gates, current.breakGlass, actor, meta);
    });
    if (moved) {
      await this.transitions.publish(moved);
      if (moved.status === 'queued') this.work.notify();
    }
    return this.deployments.get(id);
  }
}
