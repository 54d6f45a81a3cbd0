import { Inject, Injectable } from '@nestjs/common';
import type { Release } from '@flightdeck/contracts';
import { CatalogService } from '../catalog/catalog.service.js';
import { NotFoundError } from '../common/errors.js';
import { decodeCursor, pageResult } from '../common/pagination.js';
import { ReleasesRepository, type ReleaseRow } from './releases.repository.js';

export function mapRelease(row: ReleaseRow): Release {
  return {
    id: row.id,
    serviceId: row.serviceId,
    serviceSlug: row.service.slug,
    version: row.version,
    commitSha: row.commitSha,
    artifactRef: row.artifactRef,
    notes: row.notes,
    source: row.source,
    createdAt: row.createdAt.toISOString(),
  };
}

@Injectable()
export class ReleasesService {
  constructor(
    @Inject(ReleasesRepository) private readonly releases: ReleasesRepository,
    @Inject(CatalogService) private readonly catalog: CatalogService,
  ) {}

  async list(query: { limit: number; cursor?: string; service?: string }) {
    const cursor = decodeCursor(query.cursor);
    const service = query.service ? await this.catalog.requireService(query.service) : undefined;
    const rows = await this.releases.list({ serviceId: service?.id, cursor, take: query.limit + 1 });
    return pageResult(rows, query.limit, mapRelease);
  }

  async get(id: string): Promise<Release> {
    const row = await this.releases.findById(id);
    if (!row) throw new NotFoundError('RELEASE_NOT_FOUND', `No release with id "${id}"`);
    return mapRelease(row);
  }
}
