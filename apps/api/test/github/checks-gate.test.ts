import { randomUUID } from 'node:crypto';
import type { Gate, PromotionPreview } from '@flightdeck/contracts';
import { type FakeGitHub, type FakeRepo, startFakeGitHub } from '@flightdeck/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checksGate } from '../../src/integrations/github/checks-gate.js';
import { GitHubChecksRefresher } from '../../src/integrations/github/checks.service.js';
import { deploy } from '../support/deployments.js';
import { sql } from '../support/sql.js';
import { stageIds, startTestApp, type TestApp } from '../support/test-app.js';
import { gitHubEnv, serviceOnRepo } from './support.js';

const CHECK_RUNS = '/repos/{owner}/{repo}/commits/{ref}/check-runs';

describe('CI gate: required checks of the release commit', () => {
  let gh: FakeGitHub;
  let app: TestApp;
  let repo: FakeRepo;
  let stageId: string;
  let refresher: GitHubChecksRefresher;
  // Each refresh pretends to run a minute after the last, so unfinished results are stale again.
  let clock = Date.now();

  beforeAll(async () => {
    gh = await startFakeGitHub();
    app = await startTestApp({ env: gitHubEnv(gh) });
    repo = await serviceOnRepo(app, gh, 'inventory-sync', {});
    stageId = (await stageIds(app))['inventory-sync/dev']!;
    refresher = app.server.app.get(GitHubChecksRefresher);
  });
  afterAll(async () => {
    await app.close();
    await gh.close();
  });

  async function release(version: string, sha: string): Promise<string> {
    const id = randomUUID();
    await sql(
      app.db.url,
      `INSERT INTO releases (id, service_id, version, commit_sha, source)
       SELECT $1, id, $2, $3, 'api' FROM services WHERE slug = 'inventory-sync'`,
      [id, version, sha],
    );
    return id;
  }

  async function checksGateOf(releaseId: string): Promise<Gate | undefined> {
    const { status, body } = await app.get<PromotionPreview>(
      `/api/v1/stages/${stageId}/preview?release=${releaseId}`,
    );
    expect(status).toBe(200);
    return body.gates.find((gate) => gate.kind === 'checks');
  }

  const refresh = async () => {
    clock += 60_000;
    return refresher.refreshOnce(new Date(clock));
  };

  it('is absent until the stage requires checks; settings validate the names', async () => {
    const sha = repo.commit({ message: 'No checks yet' }).sha;
    const id = await release('ci-0', sha);
    expect(await checksGateOf(id)).toBeUndefined();
    const bad = await app.admin.patch(`/api/v1/stages/${stageId}`, { requiredChecks: ['build', 'build'] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('requiredChecks');
    const set = await app.admin.patch<{ requiredChecks: string[] }>(`/api/v1/stages/${stageId}`, {
      requiredChecks: ['build', 'e2e'],
    });
    expect(set.status).toBe(200);
    expect(set.body.requiredChecks).toEqual(['build', 'e2e']);
  });

  it('waits for missing and pending checks, fails with the failing one’s name, passes when all pass', async () => {
    const sha = repo.commit({ message: 'Faster sync' }).sha;
    const id = await release('ci-1', sha);
    // Not fetched yet: the gate waits and did not ask GitHub itself.
    const before = gh.requestsTo('GET', CHECK_RUNS).length;
    expect(await checksGateOf(id)).toMatchObject({
      state: 'waiting',
      message: 'Waiting for CI: build, e2e (not fetched from GitHub yet)',
    });
    expect(gh.requestsTo('GET', CHECK_RUNS)).toHaveLength(before);

    repo.checkRun(sha, 'build', 'completed', 'success');
    repo.status(sha, 'e2e', 'pending');
    expect((await refresh()).refreshed).toBeGreaterThan(0);
    expect((await checksGateOf(id))?.state).toBe('waiting');
    expect((await checksGateOf(id))?.message).toMatch(/^Waiting for CI: e2e \(checked /);

    repo.status(sha, 'e2e', 'failure', 'Cypress: 2 failed');
    await refresh();
    const failed = await checksGateOf(id);
    expect(failed?.state).toBe('fail');
    expect(failed?.message).toMatch(/^CI failed: e2e \(checked /);
    const blocked = await deploy(app, { stageId, releaseId: id });
    expect(blocked.status).toBe(409);
    expect(blocked.body.code).toBe('DEPLOYMENT_BLOCKED');
    expect(blocked.body.message).toContain('CI failed: e2e');

    repo.status(sha, 'e2e', 'success');
    await refresh();
    expect((await checksGateOf(id))?.message).toMatch(/^CI passed: build, e2e \(checked /);
    // Every required check finished: the commit is not asked about again.
    const askedAbout = () => gh.requestsTo('GET', CHECK_RUNS).filter((r) => r.path.includes(sha)).length;
    const asked = askedAbout();
    await refresh();
    expect(askedAbout()).toBe(asked);
    // The demo's own releases name commits the fake repository lacks; the fake answers those 404.
    expect(gh.contractProblems.filter((p) => !p.endsWith('no response 404 declared'))).toEqual([]);
  });

  it('fails a check run that concluded badly, and lets rollbacks through', async () => {
    const sha = repo.commit({ message: 'Risky' }).sha;
    const id = await release('ci-2', sha);
    repo.checkRun(sha, 'build', 'completed', 'timed_out');
    repo.checkRun(sha, 'e2e', 'in_progress');
    await refresh();
    expect((await checksGateOf(id))?.message).toMatch(/^CI failed: build \(/);
    const facts = { required: ['build'], checks: [], fetchedAt: new Date(), unavailable: null };
    expect(checksGate(facts, 'rollback', new Date())).toMatchObject({ state: 'pass' });
  });
});
