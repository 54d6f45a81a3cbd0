import { Inject, Injectable } from '@nestjs/common';
import type { DeliveryBucket } from '@flightdeck/contracts';
import { PrismaService, type Tx } from '../database/prisma.service.js';

export interface DeliveryScope {
  from: Date;
  to: Date;
  bucket: DeliveryBucket;
  environmentIds: string[];
  serviceId: string | null;
  teamId: string | null;
}

// One row per bucket, and one more (total = true) for the whole period.
export interface DeliveryRow {
  start: Date | null;
  total: boolean;
  deployments: number;
  withCommitTime: number;
  leadMedian: number | null;
  leadP90: number | null;
  failures: number;
  restored: number;
  restoreMedian: number | null;
}

// The whole computation is one statement (definitions in docs/ARCHITECTURE.md, "Delivery metrics"):
// - changes: successful promote/record deployments to the scoped stages that finished in the period;
// - a change failed when a rollback to another release was requested on its stage while it was still
//   the last success there, or when an incident names it as its cause (failed at: the earliest of the
//   rollback's request and the incident's detection, never before the change finished);
// - it was restored when the stage next finished a successful deployment of any kind after that.
// Buckets are UTC days or ISO weeks (Monday), grouped with the totals in one GROUPING SETS pass.
@Injectable()
export class DeliveryMetricsRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  async aggregate(scope: DeliveryScope, tx: Tx = this.prisma): Promise<DeliveryRow[]> {
    const step = scope.bucket === 'day' ? '1 day' : '1 week';
    const rows = await tx.$queryRaw<DeliveryRow[]>`
      WITH scoped AS (
        SELECT st.id AS stage_id
        FROM stages st JOIN services s ON s.id = st.service_id
        WHERE st.environment_id = ANY(${scope.environmentIds}::uuid[])
          AND (${scope.serviceId}::uuid IS NULL OR st.service_id = ${scope.serviceId}::uuid)
          AND (${scope.teamId}::uuid IS NULL OR s.team_id = ${scope.teamId}::uuid)
      ),
      changes AS (
        SELECT d.id, d.stage_id, d.release_id, d.finished_at,
               r.committed_at IS NOT NULL AS has_commit,
               extract(epoch FROM d.finished_at - coalesce(r.committed_at, r.created_at))::float8 AS lead_s
        FROM deployments d
        JOIN scoped sc ON sc.stage_id = d.stage_id
        JOIN releases r ON r.id = d.release_id
        WHERE d.status = 'succeeded' AND d.kind IN ('promote', 'record')
          AND d.finished_at >= ${scope.from} AND d.finished_at < ${scope.to}
      ),
      failed AS (
        SELECT c.id, greatest(min(f.at), c.finished_at) AS failed_at
        FROM changes c
        JOIN LATERAL (
          SELECT rb.created_at AS at
          FROM deployments rb
          WHERE rb.stage_id = c.stage_id AND rb.kind = 'rollback' AND rb.release_id <> c.release_id
            AND rb.created_at >= c.finished_at
            AND NOT EXISTS (
              SELECT 1 FROM deployments n
              WHERE n.stage_id = c.stage_id AND n.status = 'succeeded'
                AND n.finished_at > c.finished_at AND n.finished_at <= rb.created_at)
          UNION ALL
          SELECT i.detected_at
          FROM incident_deployments l JOIN incidents i ON i.id = l.incident_id
          WHERE l.deployment_id = c.id AND l.relation = 'cause'
        ) f ON true
        GROUP BY c.id, c.finished_at
      ),
      facts AS (
        SELECT c.id, c.has_commit, c.lead_s, f.failed_at,
               date_trunc(${scope.bucket}::text, c.finished_at, 'UTC') AS bucket,
               extract(epoch FROM (
                 SELECT min(n.finished_at) FROM deployments n
                 WHERE n.stage_id = c.stage_id AND n.status = 'succeeded' AND n.finished_at > f.failed_at
               ) - f.failed_at)::float8 AS restore_s
        FROM changes c LEFT JOIN failed f ON f.id = c.id
      ),
      series AS (
        SELECT generate_series(
          date_trunc(${scope.bucket}::text, ${scope.from}::timestamptz, 'UTC'),
          ${scope.to}::timestamptz - interval '1 millisecond',
          ${step}::interval) AS start
      )
      SELECT s.start,
             grouping(s.start) = 1 AS total,
             count(f.id)::int AS deployments,
             (count(*) FILTER (WHERE f.has_commit))::int AS "withCommitTime",
             percentile_cont(0.5) WITHIN GROUP (ORDER BY f.lead_s) AS "leadMedian",
             percentile_cont(0.9) WITHIN GROUP (ORDER BY f.lead_s) AS "leadP90",
             count(f.failed_at)::int AS failures,
             count(f.restore_s)::int AS restored,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY f.restore_s) AS "restoreMedian"
      FROM series s LEFT JOIN facts f ON f.bucket = s.start
      GROUP BY GROUPING SETS ((s.start), ())
      ORDER BY grouping(s.start), s.start`;
    return rows;
  }

  findEnvironments(ids: string[] | null, tx: Tx = this.prisma) {
    return tx.environment.findMany({
      where: ids ? { id: { in: ids } } : { tier: 'production' },
      select: { id: true, slug: true, name: true },
      orderBy: { position: 'asc' },
    });
  }

  serviceExists(id: string, tx: Tx = this.prisma) {
    return tx.service.count({ where: { id } }).then((count) => count > 0);
  }

  teamExists(id: string, tx: Tx = this.prisma) {
    return tx.team.count({ where: { id } }).then((count) => count > 0);
  }
}
