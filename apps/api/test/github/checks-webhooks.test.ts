import { randomUUID } from 'node:crypto';
import {
  deliverWebhook,
  type FakeGitHub,
  FakeGitHubPayloads,
  type FakeRepo,
  startFakeGitHub,
  webhookDelivery,
} from '@flightdeck/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploy } from '../support/deployments.js';
import { openEventStream } from '../support/sse.js';
import { sql } from '../support/sql.js';
import { stageIds, startTestApp, type TestApp } from '../support/test-app.js';
import { checksGateOf, deliveryState, gitHubEnv, HOOK_SECRET, serviceOnRepo, waitFor } from './support.js';

const CHECK_RUNS = '/repos/{owner}/{repo}/commits/{ref}/check-runs';
const COMBINED_STATUS = '/repos/{owner}/{repo}/commits/{ref}/status';

describe('CI results from webhooks', () => {
  let gh: FakeGitHub;
  let app: TestApp;
  let payloads: FakeGitHubPayloads;
  let hookUrl: string;
  let repo: FakeRepo;
  // dev requires the check run "build", staging the commit status "ci/e2e".
  let dev: string;
  let staging: string;

  beforeAll(async () => {
    gh = await startFakeGitHub();
    payloads = new FakeGitHubPayloads(gh);
    app = await startTestApp({ env: gitHubEnv(gh) });
    hookUrl = `${app.url}/api/v1/integrations/github/webhook`;
    repo = await serviceOnRepo(app, gh, 'inventory-sync', {});
    const stages = await stageIds(app);
    dev = stages['inventory-sync/dev']!;
    staging = stages['inventory-sync/staging']!;
    for (const [id, requiredChecks] of [
      [dev, ['build']],
      [staging, ['ci/e2e']],
    ] as const) {
      const set = await app.admin.patch(`/api/v1/stages/${id}`, { requiredChecks });
      expect(set.status).toBe(200);
    }
  });
  afterAll(async () => {
    await app.close();
    await gh.close();
  });

  async function release(sha: string): Promise<string> {
    const id = randomUUID();
    await sql(
      app.db.url,
      `INSERT INTO releases (id, service_id, version, commit_sha, source)
       SELECT $1, id, $2, $3, 'api' FROM services WHERE slug = 'inventory-sync'`,
      [id, sha.slice(0, 7), sha],
    );
    return id;
  }

  const gateBecomes = (stageId: string, releaseId: string, pattern: RegExp) =>
    waitFor(
      () => checksGateOf(app, stageId, releaseId),
      (gate) => pattern.test(gate?.message ?? ''),
    );

  async function deliver(event: string, payload: unknown): Promise<string> {
    const delivery = webhookDelivery(HOOK_SECRET, event, payload);
    const answer = await deliverWebhook(hookUrl, delivery);
    expect(answer.status, answer.body).toBe(202);
    return delivery.id;
  }

  // What the fake was asked about one commit's CI.
  const askedAbout = (sha: string) =>
    [...gh.requestsTo('GET', CHECK_RUNS), ...gh.requestsTo('GET', COMBINED_STATUS)].filter((r) =>
      r.path.includes(sha),
    ).length;

  const storedChecks = async (sha: string) =>
    (await sql(app.db.url, 'SELECT checks FROM github_commit_checks WHERE sha = $1', [sha]))[0]?.checks as
      Array<{ name: string; state: string }> | undefined;

  // Releases are made after the first delivery is processed: before that the commit is nobody's
  // candidate, so the 15 s poll cannot have asked GitHub about it.
  async function processed(delivery: string): Promise<{ state: string; outcome: string | null }> {
    return (await waitFor(
      () => deliveryState(app, delivery),
      (d) => d !== undefined && d.state !== 'pending',
    ))!;
  }

  it('blocks on a failing required check run, with its name, and tells open pages at once', async () => {
    const sha = repo.commit({ message: 'Break the build' }).sha;
    const first = await deliver(
      'check_run',
      payloads.checkRun(repo, repo.checkRun(sha, 'build', 'completed', 'failure')),
    );
    expect(await processed(first)).toMatchObject({ state: 'done' });
    const id = await release(sha);
    const gate = await checksGateOf(app, dev, id);
    expect(gate).toMatchObject({ state: 'fail' });
    expect(gate?.message).toMatch(/^CI failed: build \(checked /);
    const blocked = await deploy(app, { stageId: dev, releaseId: id });
    expect(blocked.status).toBe(409);
    expect(blocked.body.message).toContain('CI failed: build');

    // A newer result reaches open pages as a live event naming the stage.
    const stream = await openEventStream(app.admin);
    try {
      await deliver('check_run', payloads.checkRun(repo, repo.checkRun(sha, 'build', 'in_progress')));
      const event = await stream.next((m) => m.event === 'stage.updated' && m.data.includes(dev));
      expect(JSON.parse(event.data)).toMatchObject({ serviceSlug: 'inventory-sync', environmentSlug: 'dev' });
      await gateBecomes(dev, id, /^Waiting for CI: build/);
    } finally {
      stream.close();
    }
    // The payloads said it all: GitHub was not asked.
    expect(askedAbout(sha)).toBe(0);
  });

  it('lifts the gate when a re-run of the check completes green, without asking GitHub', async () => {
    const sha = repo.commit({ message: 'Flaky test' }).sha;
    const first = await deliver(
      'check_run',
      payloads.checkRun(repo, repo.checkRun(sha, 'build', 'completed', 'failure')),
    );
    await processed(first);
    const id = await release(sha);
    expect((await checksGateOf(app, dev, id))?.message).toMatch(/^CI failed: build/);
    const rerun = repo.checkRun(sha, 'build', 'in_progress');
    await deliver('check_run', payloads.checkRun(repo, rerun));
    await gateBecomes(dev, id, /^Waiting for CI: build/);
    rerun.status = 'completed';
    rerun.conclusion = 'success';
    rerun.completedAt = new Date().toISOString();
    await deliver('check_run', payloads.checkRun(repo, rerun, 'completed'));
    const gate = await gateBecomes(dev, id, /^CI passed: build/);
    expect(gate?.state).toBe('pass');
    expect(askedAbout(sha)).toBe(0);
  });

  it('does the same for a commit status context', async () => {
    const sha = repo.commit({ message: 'Slow checkout' }).sha;
    repo.status(sha, 'ci/e2e', 'failure', 'Cypress: 2 failed');
    await processed(await deliver('status', payloads.status(repo, sha, 'ci/e2e')));
    const id = await release(sha);
    expect(await checksGateOf(app, staging, id)).toMatchObject({ state: 'fail' });
    expect((await checksGateOf(app, staging, id))?.message).toMatch(/^CI failed: ci\/e2e/);
    repo.status(sha, 'ci/e2e', 'success');
    await deliver('status', payloads.status(repo, sha, 'ci/e2e'));
    expect((await gateBecomes(staging, id, /^CI passed: ci\/e2e/))?.state).toBe('pass');
    expect(askedAbout(sha)).toBe(0);
  });

  it('keeps the newer result when an older delivery arrives after it', async () => {
    const sha = repo.commit({ message: 'Out of order' }).sha;
    const run = repo.checkRun(sha, 'build', 'in_progress');
    const started = payloads.checkRun(repo, run, 'created');
    run.status = 'completed';
    run.conclusion = 'success';
    run.completedAt = new Date(Date.now() + 1_000).toISOString();
    const completed = payloads.checkRun(repo, run, 'completed');
    repo.status(sha, 'ci/e2e', 'pending');
    const pendingStatus = payloads.status(repo, sha, 'ci/e2e');
    repo.status(sha, 'ci/e2e', 'success');
    const greenStatus = payloads.status(repo, sha, 'ci/e2e');

    // GitHub does not promise order: the newer ones arrive first.
    for (const delivery of [await deliver('check_run', completed), await deliver('status', greenStatus)])
      expect(await processed(delivery)).toMatchObject({ state: 'done' });
    for (const delivery of [await deliver('check_run', started), await deliver('status', pendingStatus)])
      expect((await processed(delivery)).outcome).toContain('unchanged');
    const id = await release(sha);
    expect((await checksGateOf(app, dev, id))?.message).toMatch(/^CI passed: build/);
    expect((await checksGateOf(app, staging, id))?.message).toMatch(/^CI passed: ci\/e2e/);
    expect(await storedChecks(sha)).toEqual([
      expect.objectContaining({ name: 'build', state: 'success' }),
      expect.objectContaining({ name: 'ci/e2e', state: 'success' }),
    ]);
  });

  it('reads the commit from GitHub when a check suite completes (the payload names no runs)', async () => {
    const sha = repo.commit({ message: 'Suite' }).sha;
    repo.checkRun(sha, 'build', 'completed', 'success');
    repo.status(sha, 'ci/e2e', 'success');
    const outcome = await processed(await deliver('check_suite', payloads.checkSuite(repo, sha)));
    expect(outcome).toMatchObject({ state: 'done' });
    expect(askedAbout(sha)).toBe(2);
    const id = await release(sha);
    expect((await checksGateOf(app, dev, id))?.message).toMatch(/^CI passed: build/);
    expect((await checksGateOf(app, staging, id))?.message).toMatch(/^CI passed: ci\/e2e/);
  });

  it('acknowledges and ignores a repository no service is built from', async () => {
    const stranger = gh.addRepo('acme', `stranger-${Date.now().toString(36)}`);
    const sha = stranger.head().sha;
    const delivery = await deliver(
      'check_run',
      payloads.checkRun(stranger, stranger.checkRun(sha, 'build', 'completed', 'failure')),
    );
    const state = await processed(delivery);
    expect(state.state).toBe('ignored');
    expect(state.outcome).toContain(`no service is built from ${stranger.fullName}`);
    expect(await storedChecks(sha)).toBeUndefined();
    expect(askedAbout(sha)).toBe(0);
  });

  it('still refuses a bad signature with 401 and stores nothing', async () => {
    const sha = repo.commit({ message: 'Forged' }).sha;
    const payload = payloads.checkRun(repo, repo.checkRun(sha, 'build', 'completed', 'success'));
    const forged = await deliverWebhook(hookUrl, webhookDelivery('not the secret', 'check_run', payload));
    expect(forged.status).toBe(401);
    expect(JSON.parse(forged.body)).toMatchObject({ code: 'INVALID_SIGNATURE' });
    expect(await storedChecks(sha)).toBeUndefined();
  });
});
