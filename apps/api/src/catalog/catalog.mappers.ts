import type { Environment, Service, Stage } from '@flightdeck/contracts';
import type { Environment as EnvironmentRow } from '../generated/prisma/client.js';
import type { ServiceRow, StageRow } from './catalog.repository.js';

export function mapService(row: ServiceRow): Service {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    team: row.team?.slug ?? null,
    repository: row.repoOwner && row.repoName ? { owner: row.repoOwner, name: row.repoName } : null,
    defaultBranch: row.defaultBranch,
    createdAt: row.createdAt.toISOString(),
  };
}

export function mapEnvironment(row: EnvironmentRow): Environment {
  return { id: row.id, slug: row.slug, name: row.name, position: row.position, tier: row.tier };
}

// Driver config is deliberately left out: it may hold credentials.
export function mapStage(row: StageRow): Stage {
  return {
    id: row.id,
    serviceId: row.serviceId,
    serviceSlug: row.service.slug,
    environmentId: row.environmentId,
    environmentSlug: row.environment.slug,
    driverKind: row.driverKind,
    soakSeconds: row.soakSeconds,
    deadlineSeconds: row.deadlineSeconds,
    autoPromote: row.autoPromote,
    upstreamStageIds: row.upstreams.map((edge) => edge.upstreamStageId),
  };
}
