import { Inject, Injectable } from '@nestjs/common';
import { type Deployment, incidentReference } from '@flightdeck/contracts';
import { AuditService, type RequestMeta } from '../audit/audit.service.js';
import { ConflictError, NotFoundError, ValidationError } from '../common/errors.js';
import { RollbackService } from '../deployments/rollback.service.js';
import type { IdempotentResult } from '../idempotency/idempotency.service.js';
import { actorOf, type Principal } from '../identity/principal.js';
import { linkDeployment } from './incident-links.js';
import { IncidentsRepository } from './incidents.repository.js';
import { IncidentsService } from './incidents.service.js';

// One click from the incident page: roll the suspect's stage back through the ordinary rollback (same
// gates, lock order, hold and audit), and in its transaction link the suspect as the cause and the
// rollback as the remediation.
@Injectable()
export class IncidentRollbackService {
  constructor(
    @Inject(IncidentsService) private readonly incidents: IncidentsService,
    @Inject(IncidentsRepository) private readonly repository: IncidentsRepository,
    @Inject(RollbackService) private readonly rollbacks: RollbackService,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  async rollback(
    principal: Principal,
    incidentId: string,
    input: { deploymentId: string; reason: string },
    idempotencyKey: string | null,
    meta: RequestMeta,
  ): Promise<IdempotentResult<Deployment>> {
    const incident = await this.incidents.require(incidentId);
    const reference = incidentReference(incident.number);
    const suspect = await this.repository.deployment(input.deploymentId);
    if (!suspect) {
      throw new NotFoundError('DEPLOYMENT_NOT_FOUND', `No deployment with id "${input.deploymentId}"`);
    }
    if (!incident.stages.some(({ stageId }) => stageId === suspect.stageId)) {
      const message = `${suspect.stage.service.slug}/${suspect.stage.environment.slug} is not affected by ${reference}`;
      throw new ValidationError('INVALID_BODY', `Invalid body parameter — deploymentId: ${message}`, {
        issues: [{ field: 'deploymentId', message }],
      });
    }
    if (incident.status === 'resolved') {
      throw new ConflictError(
        'INCIDENT_RESOLVED',
        `${reference} is resolved; roll back from the stage instead`,
      );
    }
    const actor = actorOf(principal);
    return this.rollbacks.rollback(
      principal,
      suspect.stageId,
      { reason: `${reference}: ${input.reason}` },
      idempotencyKey,
      meta,
      {
        endpoint: 'rollbackIncidentSuspect',
        request: { incidentId, ...input },
        within: async (tx, created) => {
          // The rollback holds what it leaves: that must be the suspect's release, or it would undo
          // something else (a newer deployment finished since).
          const state = await tx.stageState.findUnique({
            where: { stageId: suspect.stageId },
            select: { holdReleaseId: true },
          });
          if (state?.holdReleaseId !== suspect.releaseId) {
            throw new ConflictError(
              'SUSPECT_NOT_CURRENT',
              `${suspect.release.version} no longer runs on ${suspect.stage.service.slug}/${suspect.stage.environment.slug}; a rollback now would undo a later deployment`,
            );
          }
          // A second click (another key) waited on the stage lock for the first: one rollback is enough.
          const earlier = await tx.incidentDeployment.findFirst({
            where: {
              incidentId,
              relation: 'remediation',
              deployment: { stageId: suspect.stageId, createdAt: { gt: suspect.createdAt } },
            },
            select: { deploymentId: true },
          });
          if (earlier) {
            throw new ConflictError(
              'SUSPECT_ALREADY_ROLLED_BACK',
              `${suspect.stage.service.slug}/${suspect.stage.environment.slug} was already rolled back from ${reference}`,
              { deploymentId: earlier.deploymentId },
            );
          }
          const link = { incidentId, actor, meta };
          await linkDeployment(tx, this.audit, { ...link, deploymentId: suspect.id, relation: 'cause' });
          await linkDeployment(tx, this.audit, {
            ...link,
            deploymentId: created.deployment.id,
            relation: 'remediation',
          });
        },
      },
    );
  }
}
