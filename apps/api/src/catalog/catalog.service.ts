import { Inject, Injectable } from '@nestjs/common';
import type { Environment, Service, Stage } from '@flightdeck/contracts';
import { NotFoundError } from '../common/errors.js';
import { decodeCursor, pageResult } from '../common/pagination.js';
import { mapEnvironment, mapService, mapStage } from './catalog.mappers.js';
import { CatalogRepository } from './catalog.repository.js';

@Injectable()
export class CatalogService {
  constructor(@Inject(CatalogRepository) private readonly catalog: CatalogRepository) {}

  async listServices(query: { limit: number; cursor?: string; team?: string; q?: string }) {
    const rows = await this.catalog.listServices({
      team: query.team,
      q: query.q,
      cursor: decodeCursor(query.cursor),
      take: query.limit + 1,
    });
    return pageResult(rows, query.limit, mapService);
  }

  async getService(slug: string): Promise<Service> {
    return mapService(await this.requireService(slug));
  }

  async requireService(slug: string) {
    const service = await this.catalog.findServiceBySlug(slug);
    if (!service) throw new NotFoundError('SERVICE_NOT_FOUND', `No service with slug "${slug}"`);
    return service;
  }

  async requireEnvironment(slug: string) {
    const environment = await this.catalog.findEnvironmentBySlug(slug);
    if (!environment) throw new NotFoundError('ENVIRONMENT_NOT_FOUND', `No environment with slug "${slug}"`);
    return environment;
  }

  async listEnvironments(): Promise<{ items: Environment[] }> {
    return { items: (await this.catalog.listEnvironments()).map(mapEnvironment) };
  }

  async listStages(query: { service?: string; environment?: string }): Promise<{ items: Stage[] }> {
    const service = query.service ? await this.requireService(query.service) : undefined;
    const environment = query.environment ? await this.requireEnvironment(query.environment) : undefined;
    const rows = await this.catalog.listStages({ serviceId: service?.id, environmentId: environment?.id });
    return { items: rows.map(mapStage) };
  }
}
