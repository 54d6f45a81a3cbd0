import { randomUUID } from 'node:crypto';
import { type Deployment, type DeploymentEvidence, deploymentEvidenceSchema } from '@flightdeck/contracts';
import { type FakeGitHub, fakePullRequest, installFakeCompare, startFakeGitHub } from '@flightdeck/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitHubEnv, serviceOnRepo } from '../github/support.js';
import { setSandbox } from '../support/deployments.js';
import { sql } from '../support/sql.js';
import { stageIds, startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
let gh: FakeGitHub;
let stageOf: Record<string, string> = {};

beforeAll(async () => {
  gh = await startFakeGitHub();
  installFakeCompare(gh);
  app = await startTestApp({ env: gitHubEnv(gh) });
  stageOf = await stageIds(app);
  await setSandbox(app, Object.values(stageOf));
});

afterAll(async () => {
  await app?.close();
  await gh?.close();
});

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

async function release(version: string, notes: string, author?: string) {
  const response = await app.admin.post<{ id: string; commitSha: string }>('/api/v1/releases', {
    service: 'checkout-api',
    version,
    commitSha: Math.random().toString(16).slice(2, 14).padEnd(12, 'a'),
    notes,
    ...(author ? { author } : {}),
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

// A deployment in the history, written directly: its time and outcome are what the test is about.
async function history(
  stageId: string,
  releaseId: string,
  fields: { kind?: string; status: string; at: string; verification?: unknown },
) {
  await sql(
    app.db.url,
    `INSERT INTO deployments (id, stage_id, release_id, kind, status, requested_by, created_at, updated_at,
       started_at, finished_at, verification)
     VALUES (gen_random_uuid(), $1, $2, $3::"DeploymentKind", $4::"DeploymentStatus", 'history@flightdeck.test',
       $5, $5, $5, $5, $6::jsonb)`,
    [
      stageId,
      releaseId,
      fields.kind ?? 'promote',
      fields.status,
      fields.at,
      fields.verification ? JSON.stringify(fields.verification) : null,
    ],
  );
}

async function evidence(id: string) {
  const response = await app.get<DeploymentEvidence>(`/api/v1/deployments/${id}/evidence`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return deploymentEvidenceSchema.parse(response.body);
}

describe('evidence for an approver', () => {
  it('shows what changes, how the candidate did upstream, open incidents and the risk signals', async () => {
    const staging = stageOf['checkout-api/staging']!;
    const production = stageOf['checkout-api/production']!;
    const dev = stageOf['checkout-api/dev']!;
    const older = await release(`9.0.0-ev.${Date.now()}`, 'Retry payments once', 'ana@flightdeck.test');
    const candidate = await release(`9.0.1-ev.${Date.now()}`, 'Faster cart\n\nCache the totals');
    // The candidate passed staging two hours ago, verified, and runs there since.
    await history(staging, candidate.id, {
      status: 'succeeded',
      at: ago(2 * HOUR),
      verification: { startedAt: ago(2 * HOUR), until: ago(HOUR), outcome: 'passed', checks: [] },
    });
    await sql(
      app.db.url,
      'UPDATE stage_states SET current_release_id = $1, current_since = $2 WHERE stage_id = $3',
      [candidate.id, ago(2 * HOUR), staging],
    );
    // A known recent past: no rollback on production this week, failures counted from a baseline.
    await sql(
      app.db.url,
      `UPDATE deployments SET created_at = created_at - interval '30 days' WHERE stage_id = $1 AND kind = 'rollback'`,
      [production],
    );
    await app.admin.delete(`/api/v1/stages/${production}/lock`);
    const policy = await app.admin.put(`/api/v1/stages/${production}/policy`, { requiredApprovals: 1 });
    expect(policy.status).toBe(200);
    const created = await app.admin.post<Deployment>('/api/v1/deployments', {
      stageId: production,
      releaseId: candidate.id,
      reason: 'evidence',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.status).toBe('pending');

    const before = await evidence(created.body.id);
    expect(before.candidate.id).toBe(candidate.id);
    expect(before.stage).toMatchObject({ serviceSlug: 'checkout-api', environmentSlug: 'production' });
    expect(before.changes.direction).toBe('forward');
    expect(before.changes.releases.slice(0, 2).map((r) => [r.id, r.author, r.notes])).toEqual([
      [candidate.id, null, 'Faster cart\n\nCache the totals'],
      [older.id, 'ana@flightdeck.test', 'Retry payments once'],
    ]);
    expect(before.changes.releases[0]!.commitSha).toBe(candidate.commitSha);
    expect(before.changes.releases.map((r) => r.id)).not.toContain(before.current?.id);
    const fromStaging = before.upstream.find((u) => u.stageId === staging)!;
    expect(fromStaging).toMatchObject({ environmentSlug: 'staging', verification: 'passed', runsNow: true });
    expect(Date.parse(fromStaging.succeededAt!)).toBeGreaterThan(Date.now() - 2 * HOUR - 60_000);
    expect(fromStaging.soakedSeconds).toBeGreaterThanOrEqual(7200);
    expect(fromStaging.soakedSeconds).toBeLessThan(7200 + 120);
    expect(before.risks).toMatchObject({
      releaseCount: before.changes.releases.length,
      windowDays: 7,
      rollbackOnStage: false,
      quarantined: false,
      heldOn: [],
    });
    expect(before.risks.signals.find((s) => s.kind === 'recent_rollback')).toEqual({
      kind: 'recent_rollback',
      tone: 'success',
      message: 'No rollback on production in the last 7 days',
    });
    // No CI results stored for the candidate's commit yet; the changelog says why it has no commits.
    expect(before.ciChecks.available || before.ciChecks.reason).toMatch(/not fetched/);
    expect(before.changelog.available).toBe(false);
    expect(before.incidents).toEqual({ available: true, open: [] });
    expect(before.risks.signals.map((s) => s.kind)).not.toContain('open_incident');

    // Incidents on any stage of the service count; a resolved one and another service's do not.
    const declare = async (title: string, severity: string, stage: string) => {
      const response = await app.admin.post<{ id: string; number: number }>('/api/v1/incidents', {
        title,
        severity,
        stageIds: [stageOf[stage]],
      });
      expect(response.status, JSON.stringify(response.body)).toBe(201);
      return response.body;
    };
    const minor = await declare('Slow admin page', 'P3', 'checkout-api/dev');
    const major = await declare('Card payments fail', 'P1', 'checkout-api/staging');
    const resolved = await declare('Old outage', 'P1', 'checkout-api/staging');
    await sql(app.db.url, `UPDATE incidents SET status = 'resolved', resolved_at = now() WHERE id = $1`, [
      resolved.id,
    ]);
    await declare('Search is empty', 'P1', 'catalog-search/staging');
    const withIncidents = await evidence(created.body.id);
    expect(
      withIncidents.incidents.open.map((i) => [i.reference, i.severityKey, i.freezesProduction]),
    ).toEqual([
      [`INC-${major.number}`, 'P1', true],
      [`INC-${minor.number}`, 'P3', false],
    ]);
    expect(withIncidents.incidents.open[0]).toMatchObject({
      id: major.id,
      title: 'Card payments fail',
      status: 'investigating',
      path: `/incidents/${major.id}`,
    });
    expect(withIncidents.risks.signals.find((s) => s.kind === 'open_incident')).toEqual({
      kind: 'open_incident',
      tone: 'danger',
      message: `INC-${major.number} (${withIncidents.incidents.open[0]!.severityName}) is open on checkout-api and freezes production`,
    });
    await sql(
      app.db.url,
      `UPDATE incidents SET status = 'resolved', resolved_at = now() WHERE id = ANY($1)`,
      [[major.id, minor.id]],
    );

    // This week: a rollback on production and a failure on dev; a failure ten days ago does not count.
    await history(production, older.id, { kind: 'rollback', status: 'succeeded', at: ago(2 * DAY) });
    await history(dev, older.id, { status: 'failed', at: ago(DAY) });
    await history(dev, older.id, { status: 'timed_out', at: ago(10 * DAY) });
    await sql(
      app.db.url,
      `UPDATE releases SET quarantined_by = 'sre@flightdeck.test', quarantine_reason = 'leaks memory',
         quarantined_at = now() WHERE id = $1`,
      [candidate.id],
    );
    await sql(app.db.url, 'UPDATE stage_states SET hold_release_id = $1 WHERE stage_id = $2', [
      candidate.id,
      dev,
    ]);
    const after = await evidence(created.body.id);
    expect(after.risks).toMatchObject({
      rollbackOnStage: true,
      failedDeployments: before.risks.failedDeployments + 1,
      quarantined: true,
      heldOn: ['dev'],
    });
    expect(after.risks.signals[0]!.kind).toBe('change_size');
    expect(after.risks.signals.slice(1).map((s) => [s.kind, s.tone])).toEqual([
      ['recent_rollback', 'danger'],
      ['recent_failures', 'warning'],
      ['quarantined', 'danger'],
      ['held', 'danger'],
    ]);
    expect(after.risks.signals.find((s) => s.kind === 'quarantined')!.message).toContain('leaks memory');
  });

  it('shows the candidate commit checks, which the stage requires, and the commits with their pull requests', async () => {
    const repo = await serviceOnRepo(app, gh, 'catalog-search', {});
    const staging = stageOf['catalog-search/staging']!;
    const base = repo.commit({ message: 'Release 1.0' });
    const fix = repo.commit({
      message: 'Fix ranking',
      author: { name: 'Ada', email: 'ada@example.com', login: 'ada' },
    });
    const head = repo.commit({ message: 'Faster index' });
    fakePullRequest(repo, { title: 'Better search', author: 'ada', commits: [fix.sha, head.sha] });
    const insertRelease = async (version: string, sha: string) => {
      const id = randomUUID();
      await sql(
        app.db.url,
        `INSERT INTO releases (id, service_id, version, commit_sha, source)
         SELECT $1, id, $2, $3, 'api' FROM services WHERE slug = 'catalog-search'`,
        [id, version, sha],
      );
      return id;
    };
    const running = await insertRelease('ev-1.0', base.sha);
    const candidate = await insertRelease('ev-1.1', head.sha);
    await sql(app.db.url, 'UPDATE stage_states SET current_release_id = $2 WHERE stage_id = $1', [
      staging,
      running,
    ]);
    await sql(app.db.url, `UPDATE stages SET required_checks = '{build}' WHERE id = $1`, [staging]);
    const deploymentId = randomUUID();
    await sql(
      app.db.url,
      `INSERT INTO deployments (id, stage_id, release_id, kind, status, requested_by, created_at, updated_at)
       VALUES ($1, $2, $3, 'promote', 'pending', 'ev@flightdeck.test', now(), now())`,
      [deploymentId, staging, candidate],
    );

    const notYet = await evidence(deploymentId);
    expect(notYet.ciChecks.available || notYet.ciChecks.reason).toMatch(/has not fetched them/);

    const fetchedAt = ago(2 * 60_000);
    await sql(
      app.db.url,
      `INSERT INTO github_commit_checks (id, repo_full_name, sha, checks, final, fetched_at)
       VALUES (gen_random_uuid(), $1, $2, $3::jsonb, false, $4)`,
      [
        `${repo.owner}/${repo.name}`.toLowerCase(),
        head.sha,
        JSON.stringify([
          {
            name: 'build',
            source: 'check_run',
            state: 'failure',
            conclusion: 'failure',
            url: 'https://ci/build',
          },
          { name: 'lint', source: 'status', state: 'success', conclusion: 'success', url: null },
        ]),
        fetchedAt,
      ],
    );
    const result = await evidence(deploymentId);
    expect(result.ciChecks).toEqual({
      available: true,
      repository: `${repo.owner}/${repo.name}`,
      commitSha: head.sha,
      fetchedAt,
      checks: [
        {
          name: 'build',
          source: 'check_run',
          state: 'failure',
          conclusion: 'failure',
          url: 'https://ci/build',
          required: true,
        },
        {
          name: 'lint',
          source: 'status',
          state: 'success',
          conclusion: 'success',
          url: null,
          required: false,
        },
      ],
      required: [{ name: 'build', state: 'failure' }],
    });
    expect(result.risks.signals.find((s) => s.kind === 'ci_failing')).toEqual({
      kind: 'ci_failing',
      tone: 'danger',
      message: 'CI failing on ev-1.1: build',
    });
    expect(result.changelog).toMatchObject({ available: true, direction: 'forward', baseSha: base.sha });
    if (!result.changelog.available) throw new Error('changelog unavailable');
    expect(result.changelog.commits.map((c) => c.title)).toEqual(['Faster index', 'Fix ranking']);
    expect(result.changelog.pullRequests.map((pr) => [pr.title, pr.author])).toEqual([
      ['Better search', 'ada'],
    ]);
  });

  it('answers 404 for an unknown deployment', async () => {
    const response = await app.get<{ code: string }>(
      '/api/v1/deployments/00000000-0000-4000-8000-000000000000/evidence',
    );
    expect(response.status).toBe(404);
    expect(response.body.code).toBe('DEPLOYMENT_NOT_FOUND');
  });
});
