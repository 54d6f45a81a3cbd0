import pg from 'pg';
import { summarise, type LatencySummary } from './stats.js';

// The floor: the board's content (every service × environment cell with its current release, last
// deployment, health, lock, hold and the release waiting upstream) computed by one hand-written query
// that builds the JSON inside Postgres. Freezes are left out: none are seeded, and recurring ones are
// cron windows Postgres cannot evaluate. What no server can beat, whatever its framework.
export const BOARD_FLOOR_SQL = `
WITH cells AS (
  SELECT st.service_id, st.environment_id, json_build_object(
    'stageId', st.id, 'environmentId', st.environment_id, 'driverKind', st.driver_kind,
    'current', CASE WHEN cr.id IS NOT NULL THEN json_build_object(
      'id', cr.id, 'version', cr.version, 'commitSha', cr.commit_sha, 'createdAt', cr.created_at) END,
    'deployedAt', ss.current_since,
    'lastDeployment', CASE WHEN ld.id IS NOT NULL THEN json_build_object(
      'id', ld.id, 'status', ld.status, 'kind', ld.kind, 'breakGlass', ld.break_glass,
      'createdAt', ld.created_at, 'finishedAt', ld.finished_at,
      'release', json_build_object('id', lr.id, 'version', lr.version, 'commitSha', lr.commit_sha,
                                   'createdAt', lr.created_at)) END,
    'health', coalesce(ss.health::text, 'unknown'), 'healthMessage', coalesce(ss.health_message, ''),
    'lock', CASE WHEN ss.locked_by IS NOT NULL THEN json_build_object(
      'by', ss.locked_by, 'reason', coalesce(ss.lock_reason, ''), 'at', ss.locked_at) END,
    'hold', CASE WHEN hr.id IS NOT NULL THEN json_build_object(
      'release', json_build_object('id', hr.id, 'version', hr.version, 'commitSha', hr.commit_sha,
                                   'createdAt', hr.created_at), 'reason', ss.hold_reason) END,
    'waiting', CASE WHEN wr.id IS NOT NULL
        AND (cr.id IS NULL OR (cr.id <> wr.id AND cr.created_at < wr.created_at))
        AND NOT (ld.release_id = wr.id AND ld.status IN ('pending', 'queued', 'running', 'verifying'))
      THEN json_build_object('id', wr.id, 'version', wr.version, 'commitSha', wr.commit_sha,
                             'createdAt', wr.created_at) END,
    'freeze', NULL) AS cell
  FROM stages st
  LEFT JOIN stage_states ss ON ss.stage_id = st.id
  LEFT JOIN releases cr ON cr.id = ss.current_release_id
  LEFT JOIN releases hr ON hr.id = ss.hold_release_id
  LEFT JOIN deployments ld ON ld.id = ss.last_deployment_id
  LEFT JOIN releases lr ON lr.id = ld.release_id
  LEFT JOIN LATERAL (
    SELECT CASE WHEN count(*) > 0 AND count(us.current_release_id) = count(*)
                 AND count(DISTINCT us.current_release_id) = 1
           THEN min(us.current_release_id::text)::uuid END AS release_id
    FROM stage_upstreams su JOIN stage_states us ON us.stage_id = su.upstream_stage_id
    WHERE su.stage_id = st.id) w ON true
  LEFT JOIN releases wr ON wr.id = w.release_id
),
by_service AS (SELECT service_id, json_object_agg(environment_id, cell) AS cells FROM cells GROUP BY service_id)
SELECT json_build_object(
  'environments', (SELECT json_agg(json_build_object('id', e.id, 'slug', e.slug, 'name', e.name,
                                                      'position', e.position, 'tier', e.tier) ORDER BY e.position)
                   FROM environments e),
  'rows', (SELECT json_agg(json_build_object(
              'service', json_build_object('id', sv.id, 'slug', sv.slug, 'name', sv.name, 'team', t.slug),
              'cells', coalesce(c.cells, '{}'::json))
            ORDER BY sv.name, sv.id)
           FROM services sv LEFT JOIN teams t ON t.id = sv.team_id LEFT JOIN by_service c ON c.service_id = sv.id),
  'generatedAt', now())::text AS board`;

export interface FloorResult {
  latency: LatencySummary;
  requestsPerSecond: number;
  bytes: number;
}

// The floor query run by \`connections\` clients back to back for \`seconds\`, the text fetched whole.
export async function measureFloor(url: string, connections: number, seconds: number): Promise<FloorResult> {
  const pool = new pg.Pool({ connectionString: url, max: connections });
  const samples: number[] = [];
  let bytes = 0;
  try {
    // Warm every connection (and the plan cache) first.
    await Promise.all(Array.from({ length: connections }, () => pool.query(BOARD_FLOOR_SQL)));
    const until = performance.now() + seconds * 1000;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (performance.now() < until) {
          const t0 = performance.now();
          const { rows } = await pool.query<{ board: string }>(BOARD_FLOOR_SQL);
          samples.push(performance.now() - t0);
          bytes = rows[0]!.board.length;
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    return { latency: summarise(samples), requestsPerSecond: samples.length / elapsed, bytes };
  } finally {
    await pool.end();
  }
}
