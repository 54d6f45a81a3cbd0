import { Inject, Injectable } from '@nestjs/common';
import type { Gate, ReleaseTrain } from '@flightdeck/contracts';
import { AuditService, type RequestMeta } from '../audit/audit.service.js';
import { CatalogService } from '../catalog/catalog.service.js';
import { ConflictError, NotFoundError, ValidationError } from '../common/errors.js';
import { afterCursor, decodeCursor, pageResult } from '../common/pagination.js';
import { PrismaService } from '../database/prisma.service.js';
import {
  DeploymentRequestsService,
  lockStages,
  requesterOf,
  type Created,
} from '../deployments/deployment-requests.service.js';
import { mapDeployment } from '../deployments/deployments.mappers.js';
import { deploymentInclude } from '../deployments/deployments.repository.js';
import { IdempotencyService, type IdempotentResult } from '../idempotency/idempotency.service.js';
import { AuthzService } from '../identity/authz.service.js';
import { actorOf, type Principal } from '../identity/principal.js';
import type { Prisma } from '../generated/prisma/client.js';

interface Skipped {
  serviceSlug: string;
  message: string;
  gates: Gate[];
}

const trainInclude = {
  environment: { select: { slug: true } },
  deployments: { include: deploymentInclude, orderBy: { createdAt: 'asc' } },
} as const;

type TrainRow = Prisma.ReleaseTrainGetPayload<{ include: typeof trainInclude }>;

function mapTrain(row: TrainRow): ReleaseTrain {
  return {
    id: row.id,
    environmentSlug: row.environment.slug,
    requestedBy: row.requestedBy,
    reason: row.reason,
    createdAt: row.createdAt.toISOString(),
    deployments: row.deployments
      .map(mapDeployment)
      .sort((a, b) => a.serviceSlug.localeCompare(b.serviceSlug)),
    skipped: row.skipped as unknown as Skipped[],
  };
}

// Several services into one environment in one action. Each deployment is requested and gated on its
// own, exactly as if asked one by one; the train records the group and what could not go.
@Injectable()
export class TrainsService {
  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(CatalogService) private readonly catalog: CatalogService,
    @Inject(DeploymentRequestsService) private readonly requests: DeploymentRequestsService,
    @Inject(AuthzService) private readonly authz: AuthzService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(IdempotencyService) private readonly idempotency: IdempotencyService,
  ) {}

  async create(
    principal: Principal,
    input: { environment: string; services: string[]; reason: string },
    idempotencyKey: string | null,
    meta: RequestMeta,
  ): Promise<IdempotentResult<ReleaseTrain>> {
    const environment = await this.catalog.requireEnvironment(input.environment);
    const stages = await this.prisma.stage.findMany({
      where: { environmentId: environment.id, service: { slug: { in: input.services } } },
      include: { service: { select: { id: true, slug: true, teamId: true } } },
    });
    const unknown = input.services.filter((slug) => !stages.some((stage) => stage.service.slug === slug));
    if (unknown.length > 0) {
      const known = await this.prisma.service.findMany({
        where: { slug: { in: unknown } },
        select: { slug: true },
      });
      const missing = unknown.filter((slug) => !known.some((service) => service.slug === slug));
      if (missing.length > 0) {
        throw new NotFoundError(
          'SERVICE_NOT_FOUND',
          `No service ${missing.map((s) => `"${s}"`).join(', ')}`,
          {
            services: missing,
          },
        );
      }
      throw new ValidationError(
        'NO_STAGE_IN_ENVIRONMENT',
        `${unknown.join(', ')} ${unknown.length === 1 ? 'does' : 'do'} not deploy to ${environment.slug}`,
        {
          issues: [{ field: 'services', message: `${unknown.join(', ')} have no ${environment.slug} stage` }],
        },
      );
    }
    // Every service must be one this caller may deploy; a train is not a way around a missing right.
    for (const stage of stages) {
      await this.authz.assertOnService(
        principal,
        'deployments:write',
        { service: stage.service, environment, type: 'stage', id: stage.id },
        meta,
      );
    }

    const created: Created[] = [];
    const result = await this.idempotency.run(
      { principalId: principal.user.id, endpoint: 'createReleaseTrain', key: idempotencyKey, request: input },
      async (tx) => {
        created.length = 0;
        await lockStages(
          tx,
          stages.map((stage) => stage.id),
        );
        const train = await tx.releaseTrain.create({
          data: { environmentId: environment.id, requestedBy: principal.user.email, reason: input.reason },
        });
        const skipped: Skipped[] = [];
        for (const stage of [...stages].sort((a, b) => a.service.slug.localeCompare(b.service.slug))) {
          try {
            created.push(
              await this.requests.createInTx(
                tx,
                requesterOf(principal),
                stage.id,
                { reason: input.reason, breakGlass: false },
                train.id,
                meta,
                { stagesLocked: true },
              ),
            );
          } catch (error) {
            if (!(error instanceof ConflictError)) throw error;
            const details = error.details as { gates?: Gate[] } | undefined;
            skipped.push({
              serviceSlug: stage.service.slug,
              message: error.message,
              gates: details?.gates ?? [],
            });
          }
        }
        await tx.releaseTrain.update({
          where: { id: train.id },
          data: { skipped: skipped as unknown as Prisma.InputJsonValue },
        });
        await this.audit.record(tx, {
          actor: actorOf(principal),
          action: 'train.create',
          outcome: 'success',
          target: { type: 'train', id: train.id },
          reason: input.reason || null,
          request: meta,
          after: {
            environment: environment.slug,
            started: created.map((item) => item.deployment.stage.service.slug),
            skipped: skipped.map((item) => item.serviceSlug),
          },
        });
        const row = await tx.releaseTrain.findUniqueOrThrow({
          where: { id: train.id },
          include: trainInclude,
        });
        return { status: 201, body: mapTrain(row) };
      },
    );
    if (!result.replayed) for (const item of created) await this.requests.afterCommit(item);
    return result;
  }

  async list(query: { limit: number; cursor?: string }) {
    const cursor = decodeCursor(query.cursor);
    const rows = await this.prisma.releaseTrain.findMany({
      where: afterCursor(cursor),
      include: trainInclude,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: query.limit + 1,
    });
    return pageResult(rows, query.limit, mapTrain);
  }

  async get(id: string): Promise<ReleaseTrain> {
    const row = await this.prisma.releaseTrain.findUnique({ where: { id }, include: trainInclude });
    if (!row) throw new NotFoundError('TRAIN_NOT_FOUND', `No release train with id "${id}"`);
    return mapTrain(row);
  }
}
