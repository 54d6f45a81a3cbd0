import { Inject, Injectable } from '@nestjs/common';
import type { DeploymentDetail, DeploymentStatus } from '@flightdeck/contracts';
import { CatalogService } from '../catalog/catalog.service.js';
import { NotFoundError } from '../common/errors.js';
import { decodeCursor, pageResult } from '../common/pagination.js';
import { mapDeployment, mapDeploymentEvent } from './deployments.mappers.js';
import { DeploymentsRepository } from './deployments.repository.js';

@Injectable()
export class DeploymentsService {
  constructor(
    @Inject(DeploymentsRepository) private readonly deployments: DeploymentsRepository,
    @Inject(CatalogService) private readonly catalog: CatalogService,
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
    return { ...mapDeployment(row), events: row.events.map(mapDeploymentEvent) };
  }
}
