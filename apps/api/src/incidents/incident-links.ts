import type { IncidentDeploymentRelation } from '@flightdeck/contracts';
import type { AuditActor, AuditService, RequestMeta } from '../audit/audit.service.js';
import type { Tx } from '../database/prisma.service.js';

// Ties a deployment to an incident once per relation; false when the link was already there, so a
// retried request writes nothing twice.
export async function linkDeployment(
  tx: Tx,
  audit: AuditService,
  link: {
    incidentId: string;
    deploymentId: string;
    relation: IncidentDeploymentRelation;
    actor: AuditActor;
    meta?: RequestMeta | null;
  },
): Promise<boolean> {
  const { count } = await tx.incidentDeployment.createMany({
    data: {
      incidentId: link.incidentId,
      deploymentId: link.deploymentId,
      relation: link.relation,
      createdBy: link.actor.name,
    },
    skipDuplicates: true,
  });
  if (count === 0) return false;
  await audit.record(tx, {
    actor: link.actor,
    action: 'incident.link_deployment',
    outcome: 'success',
    target: { type: 'incident', id: link.incidentId },
    request: link.meta ?? null,
    after: { deploymentId: link.deploymentId, relation: link.relation },
  });
  return true;
}

// An automatic rollback on a stage with open incidents is their remediation.
export async function linkRemediationToOpenIncidents(
  tx: Tx,
  audit: AuditService,
  rollback: { stageId: string; deploymentId: string; actor: AuditActor },
): Promise<void> {
  const open = await tx.incident.findMany({
    where: { status: { not: 'resolved' }, stages: { some: { stageId: rollback.stageId } } },
    select: { id: true },
    orderBy: { number: 'asc' },
  });
  for (const incident of open) {
    await linkDeployment(tx, audit, {
      incidentId: incident.id,
      deploymentId: rollback.deploymentId,
      relation: 'remediation',
      actor: rollback.actor,
    });
  }
}
