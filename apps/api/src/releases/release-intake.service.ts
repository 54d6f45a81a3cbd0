import { Inject, Injectable } from '@nestjs/common';
import type { Release } from '@flightdeck/contracts';
import { AuditService, type AuditActor } from '../audit/audit.service.js';
import { PrismaService } from '../database/prisma.service.js';
import { LiveEvents } from '../events/live-events.service.js';
import { ReleasesRepository } from './releases.repository.js';
import { mapRelease } from './releases.service.js';

export interface ObservedRelease {
  readonly serviceId: string;
  readonly version: string;
  readonly commitSha: string;
  readonly notes: string;
  readonly source: 'webhook' | 'poll';
  readonly author: string | null;
  readonly committedAt: Date | null;
}

// Releases Flightdeck observes itself (GitHub webhooks, polling) rather than receives from a person.
// Unique per (service, version) under the same lock as POST /releases: the same event seen twice, or
// by a webhook and the poller at once, makes one release; the first one seen stays as it is.
@Injectable()
export class ReleaseIntakeService {
  constructor(
    @Inject(ReleasesRepository) private readonly releases: ReleasesRepository,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(LiveEvents) private readonly events: LiveEvents,
    @Inject(PrismaService) private readonly prisma: PrismaService,
  ) {}

  async exists(serviceId: string, version: string): Promise<boolean> {
    return (await this.releases.findByVersion(serviceId, version)) !== null;
  }

  async record(input: ObservedRelease, actor: AuditActor): Promise<{ release: Release; created: boolean }> {
    const result = await this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`release:${input.serviceId}:${input.version}`}, 0))`;
      const existing = await this.releases.findByVersion(input.serviceId, input.version, tx);
      if (existing) return { release: mapRelease(existing), created: false };
      const created = await this.releases.create({ ...input, artifactRef: null }, tx);
      await this.audit.record(tx, {
        actor,
        action: 'release.create',
        outcome: 'success',
        target: { type: 'release', id: created.id },
        after: mapRelease(created),
      });
      return { release: mapRelease(created), created: true };
    });
    if (result.created) {
      await this.events.publish({
        type: 'release.created',
        releaseId: result.release.id,
        serviceSlug: result.release.serviceSlug,
        version: result.release.version,
        at: new Date().toISOString(),
      });
    }
    return result;
  }
}
