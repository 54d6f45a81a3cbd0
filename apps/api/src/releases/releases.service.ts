import { Inject, Injectable } from '@nestjs/common';
import type { Release } from '@flightdeck/contracts';
import { CatalogService } from '../catalog/catalog.service.js';
import { AuditService, type RequestMeta } from '../audit/audit.service.js';
import { ConflictError, NotFoundError } from '../common/errors.js';
import { PrismaService } from '../database/prisma.service.js';
import { LiveEvents } from '../events/live-events.service.js';
import { IdempotencyService, type IdempotentResult } from '../idempotency/idempotency.service.js';
import { AuthzService } from '../identity/authz.service.js';
import { actorOf, type Principal } from '../identity/principal.js';
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
    quarantine:
      row.quarantinedBy && row.quarantinedAt
        ? { by: row.quarantinedBy, reason: row.quarantineReason ?? '', at: row.quarantinedAt.toISOString() }
        : null,
    author: row.author,
    committedAt: row.committedAt?.toISOString() ?? null,
  };
}

type CreateRelease = {
  service: string;
  version: string;
  commitSha: string;
  artifactRef?: string;
  notes: string;
  source: 'api' | 'cli';
  author?: string | undefined;
  committedAt?: string | undefined;
};

// The fields that make a release what it is; sending the same version with other values is a conflict.
const IDENTITY_FIELDS = ['commitSha', 'artifactRef', 'notes'] as const;

@Injectable()
export class ReleasesService {
  constructor(
    @Inject(ReleasesRepository) private readonly releases: ReleasesRepository,
    @Inject(CatalogService) private readonly catalog: CatalogService,
    @Inject(AuthzService) private readonly authz: AuthzService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(IdempotencyService) private readonly idempotency: IdempotencyService,
    @Inject(LiveEvents) private readonly events: LiveEvents,
    @Inject(PrismaService) private readonly prisma: PrismaService,
  ) {}

  // Immutable and unique per (service, version): the identical release again is a 200 with the one that
  // exists; anything else under that version is a 409 naming the differing fields.
  async create(
    principal: Principal,
    input: CreateRelease,
    idempotencyKey: string | null,
    meta: RequestMeta,
  ): Promise<IdempotentResult<Release>> {
    const service = await this.catalog.requireService(input.service);
    await this.authz.assertOnService(
      principal,
      'deployments:write',
      { service, type: 'service', id: service.id },
      meta,
    );
    const wanted = { commitSha: input.commitSha, artifactRef: input.artifactRef ?? null, notes: input.notes };
    const result = await this.idempotency.run(
      { principalId: principal.user.id, endpoint: 'createRelease', key: idempotencyKey, request: input },
      async (tx) => {
        // Serialises creates of one version, so two identical pushes make one release.
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`release:${service.id}:${input.version}`}, 0))`;
        const existing = await this.releases.findByVersion(service.id, input.version, tx);
        if (existing) {
          const differs = IDENTITY_FIELDS.filter((field) => (existing[field] ?? null) !== wanted[field]);
          if (differs.length > 0) {
            throw new ConflictError(
              'RELEASE_CONFLICT',
              `${input.service} already has a release ${input.version} with another ${differs.join(', ')}; releases cannot change`,
              { differs, existing: mapRelease(existing) },
            );
          }
          return { status: 200, body: mapRelease(existing) };
        }
        const created = await this.releases.create(
          {
            serviceId: service.id,
            version: input.version,
            ...wanted,
            source: input.source,
            author: input.author ?? null,
            committedAt: input.committedAt ? new Date(input.committedAt) : null,
          },
          tx,
        );
        await this.audit.record(tx, {
          actor: actorOf(principal),
          action: 'release.create',
          outcome: 'success',
          target: { type: 'release', id: created.id },
          request: meta,
          after: mapRelease(created),
        });
        return { status: 201, body: mapRelease(created) };
      },
    );
    if (result.status === 201 && !result.replayed) {
      await this.events.publish({
        type: 'release.created',
        releaseId: result.body.id,
        serviceSlug: result.body.serviceSlug,
        version: result.body.version,
        at: new Date().toISOString(),
      });
    }
    return result;
  }

  async list(query: { limit: number; cursor?: string; service?: string }) {
    const cursor = decodeCursor(query.cursor);
    const service = query.service ? await this.catalog.requireService(query.service) : undefined;
    const rows = await this.releases.list({ serviceId: service?.id, cursor, take: query.limit + 1 });
    return pageResult(rows, query.limit, mapRelease);
  }

  // Marks a release bad (or lifts that) for every stage of its service, in one audited change.
  async setQuarantine(
    principal: Principal,
    id: string,
    reason: string | null,
    meta: RequestMeta,
  ): Promise<Release> {
    const existing = await this.releases.findById(id);
    if (!existing) throw new NotFoundError('RELEASE_NOT_FOUND', `No release with id "${id}"`);
    const service = await this.catalog.requireService(existing.service.slug);
    await this.authz.assertOnService(principal, 'deployments:write', { service, type: 'release', id }, meta);
    const fields =
      reason === null
        ? { quarantinedBy: null, quarantineReason: null, quarantinedAt: null }
        : { quarantinedBy: principal.user.email, quarantineReason: reason, quarantinedAt: new Date() };
    const updated = await this.prisma.$transaction(async (tx) => {
      const row = await tx.release.update({
        where: { id },
        data: fields,
        include: { service: { select: { slug: true } } },
      });
      await this.audit.record(tx, {
        actor: actorOf(principal),
        action: reason === null ? 'release.quarantine_lift' : 'release.quarantine',
        outcome: 'success',
        target: { type: 'release', id },
        reason,
        request: meta,
        before: mapRelease(existing).quarantine,
        after: mapRelease(row).quarantine,
      });
      return row;
    });
    await this.events.publish({
      type: 'service.updated',
      serviceSlug: updated.service.slug,
      at: new Date().toISOString(),
    });
    return mapRelease(updated);
  }

  async get(id: string): Promise<Release> {
    const row = await this.releases.findById(id);
    if (!row) throw new NotFoundError('RELEASE_NOT_FOUND', `No release with id "${id}"`);
    return mapRelease(row);
  }
}
