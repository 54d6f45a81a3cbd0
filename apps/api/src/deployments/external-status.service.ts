import { Inject, Injectable } from '@nestjs/common';
import { isTerminal, type Deployment } from '@flightdeck/contracts';
import type { AuditActor, RequestMeta } from '../audit/audit.service.js';
import { ConflictError, NotFoundError } from '../common/errors.js';
import { PrismaService } from '../database/prisma.service.js';
import { mapDeployment } from './deployments.mappers.js';
import { deploymentInclude, type DeploymentRow } from './deployments.repository.js';
import { DeploymentTransitions } from './transitions.service.js';
import { WorkSignal } from './work-signal.js';

export interface ExternalReport {
  readonly status: 'running' | 'succeeded' | 'failed';
  readonly message: string;
  readonly url?: string | undefined;
  readonly externalId?: string | undefined;
}

// Status that arrives from outside (a record stage's report, a webhook target's callback). The runner
// still owns verification: a reported success moves the deployment to verifying and wakes it.
@Injectable()
export class ExternalStatusService {
  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(DeploymentTransitions) private readonly transitions: DeploymentTransitions,
    @Inject(WorkSignal) private readonly work: WorkSignal,
  ) {}

  async apply(
    deploymentId: string,
    report: ExternalReport,
    actor: AuditActor,
    meta: RequestMeta | null,
  ): Promise<Deployment> {
    const changed = await this.prisma.$transaction(async (tx) => {
      const found = await tx.deployment.findUnique({ where: { id: deploymentId } });
      if (!found) throw new NotFoundError('DEPLOYMENT_NOT_FOUND', `No deployment with id "${deploymentId}"`);
      if (isTerminal(found.status)) {
        throw new ConflictError(
          'DEPLOYMENT_FINISHED',
          `This deployment already ended ${found.status}; the report was not applied`,
          { status: found.status },
        );
      }
      if (found.status === 'pending') {
        throw new ConflictError(
          'DEPLOYMENT_NOT_STARTED',
          'This deployment is still waiting on its gates; report once it has started',
          { status: found.status },
        );
      }
      const rows: DeploymentRow[] = [];
      const driverFields = {
        ...(report.url ? { driverUrl: report.url } : {}),
        ...(report.externalId ? { driverExternalId: report.externalId } : {}),
      };
      const said = report.message ? `: ${report.message}` : '';
      let status = found.status;
      if (status === 'queued') {
        const started = await this.transitions.apply(tx, {
          id: deploymentId,
          from: 'queued',
          to: 'running',
          message: `Reported started by ${actor.name}`,
          actor,
          request: meta,
          patch: { ...driverFields, driverState: { started: true, driver: {} } },
        });
        if (!started) throw busy();
        rows.push(started);
        status = 'running';
      }
      if (status === 'verifying') {
        // Already reported done; verification is under way.
        return rows;
      }
      if (report.status === 'running') {
        await tx.deployment.update({ where: { id: deploymentId }, data: driverFields });
        if (report.message) await this.transitions.note(tx, deploymentId, 'running', report.message, actor);
        const row = await tx.deployment.findUniqueOrThrow({
          where: { id: deploymentId },
          include: deploymentInclude,
        });
        rows.push(row);
        return rows;
      }
      const finished = await this.transitions.apply(tx, {
        id: deploymentId,
        from: 'running',
        to: report.status === 'succeeded' ? 'verifying' : 'failed',
        message:
          report.status === 'succeeded'
            ? `Reported deployed by ${actor.name}${said}`
            : `Reported failed by ${actor.name}${said}`,
        actor,
        request: meta,
        patch: {
          ...driverFields,
          ...(report.status === 'failed' ? { error: report.message || 'Reported failed' } : {}),
          ...(report.status === 'succeeded'
            ? {
                driverState: { started: true, driver: {} },
                nextRunAt: new Date(),
                leaseOwner: null,
                leaseExpiresAt: null,
              }
            : {}),
        },
      });
      if (!finished) throw busy();
      rows.push(finished);
      return rows;
    });
    for (const row of changed) await this.transitions.publish(row);
    this.work.notify();
    const latest = await this.prisma.deployment.findUniqueOrThrow({
      where: { id: deploymentId },
      include: deploymentInclude,
    });
    return mapDeployment(latest);
  }
}

function busy(): ConflictError {
  return new ConflictError(
    'DEPLOYMENT_BUSY',
    'The deployment changed while the report arrived; send it again',
  );
}
