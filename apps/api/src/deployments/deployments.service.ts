import { Inject, Injectable } from '@nestjs/common';
import {
  verificationStatusSchema,
  type DeploymentDetail,
  type DeploymentStatus,
  type VerificationStatus,
} from '@flightdeck/contracts';
import { CatalogService } from '../catalog/catalog.service.js';
import { deploymentChecklistOf } from '../checklists/checklist-items.js';
import type { RequestMeta } from '../audit/audit.service.js';
import { ConflictError, NotFoundError } from '../common/errors.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { PrismaService } from '../database/prisma.service.js';
import { AuthzService } from '../identity/authz.service.js';
import { readDeploymentMirror } from '../integrations/github/deployment-mirror-view.js';
import type { Principal } from '../identity/principal.js';
import { GateFacts } from './gate-facts.js';
import { decodeCursor, pageResult } from '../common/pagination.js';
import { mapDeployment, mapDeploymentEvent } from './deployments.mappers.js';
import { DeploymentsRepository } from './deployments.repository.js';

// The stored verification as the API shows it (the runner keeps a little more for itself).
function verificationOf(value: unknown): VerificationStatus | null {
  const parsed = verificationStatusSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

@Injectable()
export class DeploymentsService {
  constructor(
    @Inject(DeploymentsRepository) private readonly deployments: DeploymentsRepository,
    @Inject(CatalogService) private readonly catalog: CatalogService,
    @Inject(GateFacts) private readonly gates: GateFacts,
    @Inject(AuthzService) private readonly authz: AuthzService,
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(query: {
    limit: number;
    cursor?: string;
    service?: string;
    environment?: string;
    status?: DeploymentStatus[];
  }) {
    const cursor = decodeCursor(query.cursor);
    const service = query.service ? await this.catalog.requireService(query.service) : undefined;
    const environment = query.environment
      ? await this.catalog.requireEnvironment(query.environment)
      : undefined;
    const rows = await this.deployments.list({
      serviceId: service?.id,
      environmentId: environment?.id,
      statuses: query.status,
      cursor,
      take: query.limit + 1,
    });
    return pageResult(rows, query.limit, mapDeployment);
  }

  async get(id: string): Promise<DeploymentDetail> {
    const row = await this.deployments.findWithEvents(id);
    if (!row) throw new NotFoundError('DEPLOYMENT_NOT_FOUND', `No deployment with id "${id}"`);
    // A waiting deployment says what it waits for, evaluated now.
    const stage = row.status === 'pending' ? await this.gates.requireStage(row.stageId) : null;
    const gates = stage
      ? await this.gates.evaluate(
          stage,
          await this.prisma.release.findUniqueOrThrow({ where: { id: row.releaseId } }),
          { self: row.id, action: row.kind, external: await this.gates.externalGates(stage) },
        )
      : [];
    const own = await this.prisma.stage.findUniqueOrThrow({
      where: { id: row.stageId },
      select: { checklist: true },
    });
    return {
      ...mapDeployment(row),
      events: row.events.map(mapDeploymentEvent),
      gates,
      verification: verificationOf(row.verification),
      checklist: deploymentChecklistOf(own.checklist, row.checklist),
      github: await readDeploymentMirror(this.prisma, row.id, this.config.github.apiUrl),
    };
  }

  // Outcomes are reported only for `record` stages, by someone who may deploy there.
  async assertReportable(principal: Principal, id: string, meta: RequestMeta): Promise<void> {
    const row = await this.prisma.deployment.findUnique({ where: { id }, select: { stageId: true } });
    if (!row) throw new NotFoundError('DEPLOYMENT_NOT_FOUND', `No deployment with id "${id}"`);
    const stage = await this.gates.requireStage(row.stageId);
    await this.authz.assertOnService(
      principal,
      'deployments:write',
      { service: stage.service, environment: stage.environment, type: 'deployment', id },
      meta,
    );
    if (stage.driverKind !== 'record') {
      throw new ConflictError(
        'NOT_A_RECORD_STAGE',
        `${stage.service.slug} in ${stage.environment.slug} deploys through its ${stage.driverKind} driver; only record stages take reports`,
        { driverKind: stage.driverKind },
      );
    }
  }
}
