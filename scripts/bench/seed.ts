import type pg from 'pg';
import { seedAuditEvents } from './seed-audit.js';
import { ENVIRONMENT_COUNT, type BenchSize } from './sizes.js';

// Set-based seeding: every table is one INSERT … SELECT over generate_series, so 2,000,000 deployments
// take about a minute on two cores. Ids are md5-derived UUIDs of their position (service i, environment p,
// deployment j), so rows can reference each other without lookups.
//
// The shape: each service has a chain of five stages (dev → test → staging → canary → production), each
// stage upstream of the next. Deployment j on a stage ships the release at the same point of history,
// lagging one release per environment down the chain; one in seventeen failed. Every tenth service has a
// production deployment of the newest release waiting for approval (the approvals inbox), every 53rd a
// locked production stage, every 37th a degraded staging stage. Stage states are then derived from the
// deployments exactly as the engine would have written them.

export const BENCH_ENVIRONMENTS = [
  { slug: 'dev', name: 'Dev', tier: 'development' },
  { slug: 'test', name: 'Test', tier: 'development' },
  { slug: 'staging', name: 'Staging', tier: 'staging' },
  { slug: 'canary', name: 'Canary', tier: 'production' },
  { slug: 'production', name: 'Production', tier: 'production' },
] as const;

const TEAMS = 20;

// Ids are md5 of a row's position, with the version and variant nibbles of a v4 UUID so they pass the
// API's UUID validation. Session-local: it leaves nothing behind in the schema.
const BENCH_ID_FUNCTION = `CREATE OR REPLACE FUNCTION pg_temp.bench_id(key text) RETURNS uuid LANGUAGE sql IMMUTABLE
  AS $$ SELECT overlay(overlay(md5(key) placing '4' from 13) placing '8' from 17)::uuid $$`;
const SPAN_DAYS = 200;

// A type, not an interface: the report sums its values.
export type SeedTimings = {
  catalog: number;
  releases: number;
  deployments: number;
  stageStates: number;
  auditEvents: number;
  analyze: number;
};

async function timed(step: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await step();
  return Math.round(performance.now() - started);
}

export async function seedBenchData(
  client: pg.Client,
  size: BenchSize,
  log: (line: string) => void,
): Promise<SeedTimings> {
  const n = size.services;
  const r = size.releasesPerService;
  const d = size.deploymentsPerStage;
  const envs = JSON.stringify(BENCH_ENVIRONMENTS);

  await client.query(BENCH_ID_FUNCTION);
  const catalog = await timed(async () => {
    await client.query(
      `INSERT INTO teams (id, slug, name, updated_at)
       SELECT pg_temp.bench_id('team' || t), 'team-' || lpad(t::text, 2, '0'), 'Team ' || t, now()
       FROM generate_series(1, ${TEAMS}) t`,
    );
    await client.query(
      `INSERT INTO environments (id, slug, name, position, tier, updated_at)
       SELECT pg_temp.bench_id('env' || (p - 1)), e->>'slug', e->>'name', p, (e->>'tier')::"TierKind", now()
       FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS x(e, p)`,
      [envs],
    );
    await client.query(
      `INSERT INTO services (id, slug, name, team_id, repo_owner, repo_name, updated_at)
       SELECT pg_temp.bench_id('svc' || i), 'svc-' || lpad(i::text, 4, '0'), 'Service ' || lpad(i::text, 4, '0'),
              pg_temp.bench_id('team' || (1 + i % ${TEAMS})), 'bench', 'svc-' || i, now()
       FROM generate_series(1, ${n}) i`,
    );
    await client.query(
      `INSERT INTO stages (id, service_id, environment_id, driver_kind, driver_config, updated_at)
       SELECT pg_temp.bench_id('stage' || i || '-' || p), pg_temp.bench_id('svc' || i), pg_temp.bench_id('env' || p), 'sandbox',
              '{"durationSeconds": 2, "failureRate": 0, "health": "healthy"}', now()
       FROM generate_series(1, ${n}) i, generate_series(0, ${ENVIRONMENT_COUNT - 1}) p`,
    );
    await client.query(
      `INSERT INTO stage_upstreams (stage_id, upstream_stage_id)
       SELECT pg_temp.bench_id('stage' || i || '-' || p), pg_temp.bench_id('stage' || i || '-' || (p - 1))
       FROM generate_series(1, ${n}) i, generate_series(1, ${ENVIRONMENT_COUNT - 1}) p`,
    );
    // Production needs one approval: pending production deployments fill the approvals inbox.
    await client.query(
      `INSERT INTO approval_policies (id, environment_id, required_approvals, approver_roles, approver_teams,
                                      approver_users, updated_by, updated_at)
       VALUES (pg_temp.bench_id('policy'), pg_temp.bench_id('env' || ${ENVIRONMENT_COUNT - 1}), 1, '{}', '{}', '{}', 'bench',
               now())`,
    );
  });
  log(`seed: catalog in ${catalog} ms`);

  // Release k of service i was cut at now - (r - k + 1) × span / r.
  const releases = await timed(() =>
    client.query(
      `INSERT INTO releases (id, service_id, version, commit_sha, notes, source, author, created_at)
       SELECT pg_temp.bench_id('rel' || i || '-' || k), pg_temp.bench_id('svc' || i), '1.' || (k / 100) || '.' || (k % 100),
              md5('sha' || i || '-' || k) || substr(md5('sha2' || i || '-' || k), 1, 8),
              'Release ' || k || ' of service ' || i, 'seed', 'dev' || (k % 7) || '@bench.test',
              now() - (${r} - k + 1) * interval '${(SPAN_DAYS * 86_400) / r} seconds'
       FROM generate_series(1, ${n}) i, generate_series(1, ${r}) k`,
    ),
  );
  log(`seed: ${n * r} releases in ${releases} ms`);

  // Deployment j (1..d) on stage (i, p) ships release greatest(1, floor((j-1)·r/d) + 1 - p), which was cut
  // before the deployment was requested. The last one of every tenth service's production stage waits.
  const deployments = await timed(() =>
    client.query(
      `INSERT INTO deployments (id, stage_id, release_id, kind, status, requested_by, reason, error,
                                created_at, updated_at, queued_at, started_at, finished_at, expires_at)
       SELECT pg_temp.bench_id('dep' || i || '-' || p || '-' || j), pg_temp.bench_id('stage' || i || '-' || p),
              pg_temp.bench_id('rel' || i || '-' || greatest(1, ((j - 1) * ${r}) / ${d} + 1 - p)),
              'promote', w.status::"DeploymentStatus", 'deployer' || (j % 5) || '@bench.test', '',
              CASE WHEN w.status = 'failed' THEN 'Sandbox: simulated failure' END,
              t.at, t.at,
              CASE WHEN w.status <> 'pending' THEN t.at + interval '1 second' END,
              CASE WHEN w.status <> 'pending' THEN t.at + interval '2 seconds' END,
              CASE WHEN w.status <> 'pending' THEN t.at + interval '90 seconds' END,
              CASE WHEN w.status = 'pending' THEN now() + interval '7 days' END
       FROM generate_series(1, ${n}) i, generate_series(0, ${ENVIRONMENT_COUNT - 1}) p,
            generate_series(1, ${d}) j,
            LATERAL (SELECT CASE
              WHEN j = ${d} AND p = ${ENVIRONMENT_COUNT - 1} AND i % 10 = 0 THEN 'pending'
              WHEN j % 17 = 0 AND j <> ${d} THEN 'failed'
              ELSE 'succeeded' END AS status) w,
            LATERAL (SELECT now() - (${d} - j + 1) * interval '${(SPAN_DAYS * 86_400) / d} seconds'
                                  + p * interval '5 minutes' AS at) t`,
    ),
  );
  log(`seed: ${n * ENVIRONMENT_COUNT * d} deployments in ${deployments} ms`);
  const rest = await deriveStageStates(client, size, log);
  return { catalog, releases, deployments, ...rest };
}

// Everything after the history: statistics first (without them the planner scans every succeeded
// deployment per stage), stage states, the latest deployments' events, the audit ledger. Separate so an
// interrupted seed can be finished on the same database.
export async function deriveStageStates(
  client: pg.Client,
  size: BenchSize,
  log: (line: string) => void,
): Promise<Omit<SeedTimings, 'catalog' | 'releases' | 'deployments'>> {
  const n = size.services;
  const d = size.deploymentsPerStage;
  await client.query(BENCH_ID_FUNCTION);
  const analyzeHistory = await timed(() => client.query('ANALYZE releases, deployments, stages'));
  log(`seed: analyze in ${analyzeHistory} ms`);

  // What the engine keeps per stage: the release that last succeeded (latest finished), the one before it,
  // and the deployment that last touched the stage.
  const stageStates = await timed(async () => {
    await client.query(
      `INSERT INTO stage_states (stage_id, current_release_id, current_since, previous_release_id,
                                 last_deployment_id, health, health_message, health_checked_at,
                                 locked_by, lock_reason, locked_at, updated_at)
       SELECT s.id, cur.release_id, cur.finished_at, prev.release_id,
              pg_temp.bench_id('dep' || i || '-' || p || '-' || ${d}),
              CASE WHEN p = 2 AND i % 37 = 0 THEN 'degraded' ELSE 'healthy' END::"HealthStatus",
              CASE WHEN p = 2 AND i % 37 = 0 THEN 'Error rate above 2%' ELSE '' END, now(),
              CASE WHEN p = 4 AND i % 53 = 0 THEN 'oncall@bench.test' END,
              CASE WHEN p = 4 AND i % 53 = 0 THEN 'Investigating latency' END,
              CASE WHEN p = 4 AND i % 53 = 0 THEN now() END,
              now()
       FROM generate_series(1, ${n}) i, generate_series(0, ${ENVIRONMENT_COUNT - 1}) p
       JOIN LATERAL (SELECT pg_temp.bench_id('stage' || i || '-' || p) AS id) s ON true
       LEFT JOIN LATERAL (
         SELECT release_id, finished_at FROM deployments
         WHERE stage_id = s.id AND status = 'succeeded' ORDER BY created_at DESC LIMIT 1) cur ON true
       LEFT JOIN LATERAL (
         SELECT release_id FROM deployments
         WHERE stage_id = s.id AND status = 'succeeded' AND release_id <> cur.release_id
         ORDER BY created_at DESC LIMIT 1) prev ON true`,
    );
    // One event per state a stage's latest deployment went through, for the deployment page.
    await client.query(
      `INSERT INTO deployment_events (deployment_id, from_status, to_status, message, actor, created_at)
       SELECT d.id, e.from_status::"DeploymentStatus", e.to_status::"DeploymentStatus", '', d.requested_by,
              d.created_at + e.offset_s * interval '1 second'
       FROM stage_states st JOIN deployments d ON d.id = st.last_deployment_id,
            LATERAL (VALUES (NULL, 'pending', 0), ('pending', 'queued', 1), ('queued', 'running', 2),
                            ('running', d.status::text, 90)) AS e(from_status, to_status, offset_s)
       WHERE d.status <> 'pending' OR e.from_status IS NULL`,
    );
  });
  log(`seed: stage states in ${stageStates} ms`);

  const auditEvents = await timed(() => seedAuditEvents(client, size.auditEvents));
  log(`seed: ${size.auditEvents} audit events in ${auditEvents} ms`);

  const analyze = await timed(() => client.query('VACUUM ANALYZE'));
  log(`seed: vacuum analyze in ${analyze} ms`);
  return { stageStates, auditEvents, analyze: analyzeHistory + analyze };
}
