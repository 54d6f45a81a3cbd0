import { Inject, Injectable } from '@nestjs/common';
import type { DeploymentKind, DeploymentStatus, DriverKind, HealthStatus } from '@flightdeck/contracts';
import { likeLiteral } from '../common/like-literal.js';
import { PrismaService, type Tx } from '../database/prisma.service.js';
import { Prisma } from '../generated/prisma/client.js';
import type { BoardKey } from './board-page.js';

// Rows as the board service reads them; `T` is how a point in time is held (Date here, epoch
// milliseconds on the wire from Postgres).
interface ReleaseOf<T> {
  id: string;
  version: string;
  commitSha: string;
  createdAt: T;
}

interface StageOf<T> {
  id: string;
  environmentId: string;
  driverKind: DriverKind;
  upstreams: { upstreamStageId: string }[];
  state: {
    currentSince: T | null;
    health: HealthStatus;
    healthMessage: string;
    lockedBy: string | null;
    lockReason: string | null;
    lockedAt: T | null;
    holdReason: string | null;
    holdRelease: ReleaseOf<T> | null;
    currentRelease: ReleaseOf<T> | null;
    lastDeployment: {
      id: string;
      status: DeploymentStatus;
      kind: DeploymentKind;
      breakGlass: boolean;
      createdAt: T;
      finishedAt: T | null;
      release: ReleaseOf<T>;
    } | null;
  } | null;
}

interface ServiceOf<T> {
  id: string;
  slug: string;
  name: string;
  team: { slug: string } | null;
  stages: StageOf<T>[];
}

export type BoardStageRow = StageOf<Date>;
export type BoardServiceRow = ServiceOf<Date>;
export interface BoardServicesPage {
  after: BoardKey | null;
  limit: number;
}

// Timestamps travel as epoch milliseconds (the columns keep milliseconds), so they come back exact.
const ms = (column: string) => Prisma.raw(`(extract(epoch from ${column}) * 1000)::bigint`);
const release = (alias: string) =>
  Prisma.raw(`CASE WHEN ${alias}.id IS NULL THEN NULL ELSE json_build_object(
    'id', ${alias}.id, 'version', ${alias}.version, 'commitSha', ${alias}.commit_sha,
    'createdAt', (extract(epoch from ${alias}.created_at) * 1000)::bigint) END`);

// Every service with its stages, their state, current/held/last-deployed releases and upstream edges,
// as one statement whose JSON Postgres builds: the board is the hottest read, and one round trip
// with index lookups per stage beats Prisma's query per relation (measured in docs/benchmarks.md).
// With `page`, only the services after its key in board order, at most `limit` of them.
function boardSql(filter: { team?: string; q?: string }, page?: BoardServicesPage): Prisma.Sql {
  const conditions: Prisma.Sql[] = [];
  if (filter.team) conditions.push(Prisma.sql`t.slug = ${filter.team}`);
  if (filter.q) {
    const pattern = `%${likeLiteral(filter.q)}%`;
    conditions.push(Prisma.sql`(sv.slug ILIKE ${pattern} OR sv.name ILIKE ${pattern})`);
  }
  if (page?.after)
    conditions.push(Prisma.sql`(sv.name, sv.id) > (${page.after.name}, ${page.after.id}::uuid)`);
  const where = conditions.length ? Prisma.sql`WHERE ${Prisma.join(conditions, ' AND ')}` : Prisma.empty;
  // A page picks its services first, so only they get their stages built.
  const services = page
    ? Prisma.sql`(SELECT sv.* FROM services sv LEFT JOIN teams t ON t.id = sv.team_id ${where}
        ORDER BY sv.name, sv.id LIMIT ${page.limit}) sv`
    : Prisma.sql`services sv`;
  return Prisma.sql`
    SELECT coalesce(json_agg(json_build_object(
      'id', sv.id, 'slug', sv.slug, 'name', sv.name,
      'team', CASE WHEN t.id IS NULL THEN NULL ELSE json_build_object('slug', t.slug) END,
      'stages', stages.list) ORDER BY sv.name, sv.id), '[]')::text AS rows
    FROM ${services}
    LEFT JOIN teams t ON t.id = sv.team_id
    CROSS JOIN LATERAL (
      SELECT coalesce(json_agg(json_build_object(
        'id', s.id, 'environmentId', s.environment_id, 'driverKind', s.driver_kind,
        'upstreams', (SELECT coalesce(json_agg(json_build_object('upstreamStageId', u.upstream_stage_id)), '[]')
                      FROM stage_upstreams u WHERE u.stage_id = s.id),
        'state', CASE WHEN ss.stage_id IS NULL THEN NULL ELSE json_build_object(
          'currentSince', ${ms('ss.current_since')}, 'health', ss.health,
          'healthMessage', ss.health_message, 'lockedBy', ss.locked_by, 'lockReason', ss.lock_reason,
          'lockedAt', ${ms('ss.locked_at')}, 'holdReason', ss.hold_reason,
          'holdRelease', ${release('hr')}, 'currentRelease', ${release('cr')},
          'lastDeployment', CASE WHEN ld.id IS NULL THEN NULL ELSE json_build_object(
            'id', ld.id, 'status', ld.status, 'kind', ld.kind, 'breakGlass', ld.break_glass,
            'createdAt', ${ms('ld.created_at')}, 'finishedAt', ${ms('ld.finished_at')},
            'release', ${release('lr')}) END) END) ORDER BY s.id), '[]') AS list
      FROM stages s
      LEFT JOIN stage_states ss ON ss.stage_id = s.id
      LEFT JOIN releases cr ON cr.id = ss.current_release_id
      LEFT JOIN releases hr ON hr.id = ss.hold_release_id
      LEFT JOIN deployments ld ON ld.id = ss.last_deployment_id
      LEFT JOIN releases lr ON lr.id = ld.release_id
      WHERE s.service_id = sv.id) stages
    ${page ? Prisma.empty : where}`;
}

const date = (millis: number | null): Date | null => (millis === null ? null : new Date(millis));
const reviveRelease = (release: ReleaseOf<number>): ReleaseOf<Date> => ({
  ...release,
  createdAt: new Date(release.createdAt),
});

function reviveStage(stage: StageOf<number>): StageOf<Date> {
  const state = stage.state;
  if (!state) return { ...stage, state: null };
  const last = state.lastDeployment;
  return {
    ...stage,
    state: {
      ...state,
      currentSince: date(state.currentSince),
      lockedAt: date(state.lockedAt),
      holdRelease: state.holdRelease && reviveRelease(state.holdRelease),
      currentRelease: state.currentRelease && reviveRelease(state.currentRelease),
      lastDeployment: last && {
        ...last,
        createdAt: new Date(last.createdAt),
        finishedAt: date(last.finishedAt),
        release: reviveRelease(last.release),
      },
    },
  };
}

@Injectable()
export class BoardRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  // One query whatever the size of the board: no query per row, nor per relation.
  async listServicesWithStageState(
    filter: { team?: string; q?: string },
    page?: BoardServicesPage,
    tx: Tx = this.prisma,
  ): Promise<BoardServiceRow[]> {
    const [result] = await tx.$queryRaw<{ rows: string }[]>(boardSql(filter, page));
    const services = JSON.parse(result!.rows) as ServiceOf<number>[];
    return services.map((service) => ({ ...service, stages: service.stages.map(reviveStage) }));
  }

  // How many of `keys` (in board order) come at or before `key` in Postgres's order of the board,
  // whose collation JavaScript cannot reproduce: where the rows after a cursor start.
  async countUpTo(keys: readonly BoardKey[], key: BoardKey, tx: Tx = this.prisma): Promise<number> {
    const [result] = await tx.$queryRaw<{ count: number }[]>(Prisma.sql`
      SELECT count(*)::int AS count
      FROM unnest(${keys.map((k) => k.name)}::text[], ${keys.map((k) => k.id)}::uuid[]) AS k(name, id)
      WHERE (k.name, k.id) <= (${key.name}, ${key.id}::uuid)`);
    return result!.count;
  }
}
