import { Inject, Injectable } from '@nestjs/common';
import type { Environment, Service, Stage } from '@flightdeck/contracts';
import { AuditService, type RequestMeta } from '../audit/audit.service.js';
import { NotFoundError } from '../common/errors.js';
import { PrismaService } from '../database/prisma.service.js';
import { LiveEvents } from '../events/live-events.service.js';
import { AuthzService } from '../identity/authz.service.js';
import { actorOf, type Principal } from '../identity/principal.js';
import { decodeCursor, pageResult } from '../common/pagination.js';
import { mapEnvironment, mapService, mapStage } from './catalog.mappers.js';
import { CatalogRepository } from './catalog.repository.js';

@Injectable()
export class CatalogService {
  constructor(
    @Inject(CatalogRepository) private readonly catalog: CatalogRepository,
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(AuthzService) private readonly authz: AuthzService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(LiveEvents) private readonly events: LiveEvents,
  ) {}

  async updateService(
    principal: Principal,
    slug: string,
    input: {
      name?: string;
      description?: string;
      defaultBranch?: string;
      repository?: { owner: string; name: string } | null;
    },
    meta: RequestMeta,
  ): Promise<Service> {
    const service = await this.requireService(slug);
    await this.authz.assertOnService(
      principal,
      'catalog:write',
      { service, type: 'service', id: service.id },
      meta,
    );
    const result = await this.prisma.$transaction(async (tx) => {
      const updated = await this.catalog.updateService(
        service.id,
        {
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.description !== undefined ? { description: input.description } : {}),
          ...(input.defaultBranch !== undefined ? { defaultBranch: input.defaultBranch } : {}),
          ...(input.repository !== undefined
            ? { repoOwner: input.repository?.owner ?? null, repoName: input.repository?.name ?? null }
            : {}),
        },
        tx,
      );
      await this.audit.record(tx, {
        actor: actorOf(principal),
        action: 'service.update',
        outcome: 'success',
        target: { type: 'service', id: service.id },
        request: meta,
        before: mapService(service),
        after: mapService(updated),
      });
      return mapService(updated);
    });
    await this.events.publish({ type: 'service.updated', serviceSlug: slug, at: new Date().toISOString() });
    return result;
  }

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
