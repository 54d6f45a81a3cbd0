import { randomUUID } from 'node:crypto';
import type { Deployment, DeploymentDetail } from '@flightdeck/contracts';
import {
  type FakeDeployment,
  type FakeGitHub,
  type FakeRepo,
  fakeDeployments,
  fakeSha,
  startFakeGitHub,
} from '@flightdeck/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeploymentMirrorProcessor } from '../../src/integrations/github/deployment-mirror.processor.js';
import { deploy, getDeployment, setSandbox, waitForDeployment } from '../support/deployments.js';
import { sql } from '../support/sql.js';
import { stageIds, startTestApp, type TestApp } from '../support/test-app.js';
import { gitHubEnv, serviceOnRepo, waitFor } from './support.js';

const PUBLIC_URL = 'http://flightdeck.example.test';
const CREATE = '/repos/{owner}/{repo}/deployments';
const STATUSES = '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses';

// What GitHub should show for each Flightdeck transition, in order.
const EXPECTED: Record<string, string> = {
  queued: 'queued',
  running: 'in_progress',
  verifying: 'in_progress',
  succeeded: 'success',
  failed: 'failure',
  timed_out: 'error',
};

// Deploys run end to end on a busy machine: each test gets room.
describe('GitHub Deployments mirror', { timeout: 120_000 }, () => {
  let gh: FakeGitHub;
  let app: TestApp;
  let stageOf: Record<string, string> = {};
  let repo: FakeRepo;

  beforeAll(async () => {
    gh = await startFakeGitHub();
    app = await startTestApp({
      env: {
        ...gitHubEnv(gh),
        FLIGHTDECK_PUBLIC_URL: PUBLIC_URL,
        FLIGHTDECK_RUNNER_INTERVAL_MS: '100',
        FLIGHTDECK_GITHUB_WAIT_SECONDS: '5',
      },
    });
    stageOf = await stageIds(app);
    await setSandbox(app, Object.values(stageOf));
    repo = await serviceOnRepo(app, gh, 'inventory-sync', {});
  });
  afterAll(async () => {
    await app?.close();
    await gh?.close();
  });

  async function release(slug: string, sha: string): Promise<string> {
    const id = randomUUID();
    await sql(
      app.db.url,
      `INSERT INTO releases (id, service_id, version, commit_sha, source)
       SELECT $1, id, $2, $3, 'api' FROM services WHERE slug = $4`,
      [id, `m-${id.slice(0, 8)}`, sha, slug],
    );
    return id;
  }

  async function deployed(stage: string, releaseId: string): Promise<DeploymentDetail> {
    const created = await deploy(app, { stageId: stageOf[stage]!, releaseId, reason: 'mirror test' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return waitForDeployment(app, created.body.id);
  }

  // Waits until GitHub shows every transition (the mirror has nothing left to send) and returns it.
  async function mirrored(deploymentId: string, state: 'synced' | 'failed' = 'synced') {
    return waitFor(
      () => getDeployment(app, deploymentId),
      (d) => d.github?.state === state && (state === 'failed' || d.github.lastStatus !== 'queued'),
      30_000,
    );
  }

  const githubCopies = (on: FakeRepo, deploymentId: string): FakeDeployment[] =>
    fakeDeployments(on).filter(
      (d) => (d.payload as { flightdeckDeploymentId?: string }).flightdeckDeploymentId === deploymentId,
    );

  // The statuses Flightdeck sent (GitHub adds an empty `inactive` one when a later deployment succeeds).
  const sentStates = (copy: FakeDeployment) =>
    copy.statuses.filter((s) => !(s.state === 'inactive' && s.description === '')).map((s) => s.state);

  const expectedStates = (d: DeploymentDetail) =>
    d.events
      .filter((e) => e.fromStatus !== e.toStatus && EXPECTED[e.toStatus])
      .map((e) => EXPECTED[e.toStatus]);

  it('mirrors a deployment of a linked service as one GitHub deployment with a status per transition, in order', async () => {
    const head = repo.commit({ message: 'Faster sync' });
    const releaseId = await release('inventory-sync', head.sha);
    const done = await deployed('inventory-sync/dev', releaseId);
    expect(done.status).toBe('succeeded');
    const view = await mirrored(done.id);

    const copies = githubCopies(repo, done.id);
    expect(copies).toHaveLength(1);
    const copy = copies[0]!;
    expect(copy).toMatchObject({
      sha: head.sha,
      ref: head.sha,
      environment: 'dev',
      productionEnvironment: false,
      transientEnvironment: false,
      payload: {
        flightdeckDeploymentId: done.id,
        stageId: stageOf['inventory-sync/dev'],
        releaseId,
        version: done.release.version,
      },
    });
    expect(copy.description).toContain(done.release.version);
    const create = gh
      .requestsTo('POST', CREATE, 201)
      .find(
        (r) =>
          (r.body as { payload: { flightdeckDeploymentId: string } }).payload.flightdeckDeploymentId ===
          done.id,
      );
    expect(create?.body).toMatchObject({
      auto_merge: false,
      required_contexts: [],
      transient_environment: false,
    });

    expect(sentStates(copy)).toEqual(expectedStates(done));
    expect(sentStates(copy)).toEqual(['queued', 'in_progress', 'in_progress', 'success']);
    for (const status of copy.statuses) {
      expect(status.logUrl).toBe(`${PUBLIC_URL}/deployments/${done.id}`);
      expect(status.environmentUrl).toBe(`${PUBLIC_URL}/deployments/${done.id}`);
    }
    const sent = gh
      .requestsTo('POST', STATUSES, 201)
      .filter((r) => r.path.endsWith(`/deployments/${copy.id}/statuses`));
    expect(sent.every((r) => (r.body as { auto_inactive?: boolean }).auto_inactive === true)).toBe(true);

    expect(view.github).toEqual({
      state: 'synced',
      deploymentId: copy.id,
      url: `${gh.url}/${repo.owner}/${repo.name}/deployments/dev`,
      lastStatus: 'success',
      error: null,
    });
    expect(gh.contractProblems).toEqual([]);
  });

  it('mirrors a rollback to production as a production environment', async () => {
    const prodRepo = await serviceOnRepo(app, gh, 'checkout-api', {});
    const sha = prodRepo.head().sha;
    // The demo's releases point at commits the fake repository holds.
    await sql(
      app.db.url,
      `UPDATE releases SET commit_sha = $1 WHERE service_id = (SELECT id FROM services WHERE slug = 'checkout-api')`,
      [sha],
    );
    const rollback = await app.admin.post<Deployment>(
      `/api/v1/stages/${stageOf['checkout-api/production']}/rollback`,
      { reason: 'checkout errors' },
    );
    expect(rollback.status, JSON.stringify(rollback.body)).toBe(201);
    const done = await waitForDeployment(app, rollback.body.id);
    expect(done).toMatchObject({ kind: 'rollback', status: 'succeeded' });
    await mirrored(done.id);
    const [copy] = githubCopies(prodRepo, done.id);
    expect(copy).toMatchObject({ environment: 'production', productionEnvironment: true, sha });
    expect(copy!.description).toMatch(/^Roll back to/);
    expect(sentStates(copy!)).toEqual(expectedStates(done));
    expect(gh.contractProblems).toEqual([]);
  });

  it('creates nothing on GitHub for a service without a repository', async () => {
    const unlinked = await app.admin.patch('/api/v1/services/fraud-scoring', { repository: null });
    expect(unlinked.status, JSON.stringify(unlinked.body)).toBe(200);
    const releaseId = await release('fraud-scoring', fakeSha(randomUUID()));
    const done = await deployed('fraud-scoring/dev', releaseId);
    expect(done.status).toBe('succeeded');
    expect(done.github ?? null).toBeNull();
    const rows = await sql(app.db.url, 'SELECT 1 FROM github_deployment_mirrors WHERE deployment_id = $1', [
      done.id,
    ]);
    expect(rows).toHaveLength(0);
    expect(gh.requests.some((r) => JSON.stringify(r.body ?? {}).includes(done.id))).toBe(false);
  });

  it('a retried mirror never duplicates: a create and a status whose answers were lost are looked up, not sent twice', async () => {
    const head = repo.commit({ message: 'Lost answers' });
    const releaseId = await release('inventory-sync', head.sha);
    const lookupsBefore = gh.requestsTo('GET', CREATE).length;
    // GitHub creates the deployment (and later the first status), but the connection drops before
    // the answer reaches Flightdeck.
    gh.fault({ kind: 'lostResponse' }, { method: 'POST', path: /\/deployments$/ });
    gh.fault({ kind: 'lostResponse' }, { method: 'POST', path: /\/statuses$/ });
    const done = await deployed('inventory-sync/dev', releaseId);
    expect(done.status).toBe('succeeded');
    await mirrored(done.id);

    const copies = githubCopies(repo, done.id);
    expect(copies).toHaveLength(1);
    expect(sentStates(copies[0]!)).toEqual(expectedStates(done));
    // It looked before creating again, by commit and environment.
    const lookups = gh.requestsTo('GET', CREATE).slice(lookupsBefore);
    expect(lookups.some((r) => r.query.get('sha') === head.sha && r.query.get('environment') === 'dev')).toBe(
      true,
    );
    expect(gh.requestsTo('GET', STATUSES).length).toBeGreaterThan(0);
    expect(gh.contractProblems).toEqual([]);
  });

  it('two app instances on one database mirror each deployment once', async () => {
    const second = await startTestApp({
      db: app.db,
      env: {
        ...gitHubEnv(gh),
        FLIGHTDECK_PUBLIC_URL: PUBLIC_URL,
        FLIGHTDECK_RUNNER_INTERVAL_MS: '100',
      },
    });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const sha = repo.commit({ message: `Replica change ${i}` }).sha;
        const done = await deployed('inventory-sync/dev', await release('inventory-sync', sha));
        expect(done.status).toBe('succeeded');
        ids.push(done.id);
      }
      for (const id of ids) {
        const done = await mirrored(id);
        const copies = githubCopies(repo, id);
        expect(copies, id).toHaveLength(1);
        expect(sentStates(copies[0]!)).toEqual(expectedStates(done));
      }
      // auto_inactive: each earlier success on dev became inactive once the next one succeeded.
      for (const id of ids.slice(0, -1))
        expect(githubCopies(repo, id)[0]!.statuses.at(-1)?.state).toBe('inactive');
      expect(githubCopies(repo, ids.at(-1)!)[0]!.statuses.at(-1)?.state).toBe('success');
      expect(gh.contractProblems).toEqual([]);
    } finally {
      await second.close();
    }
  });

  it('waits out a secondary rate limit (403 with Retry-After) and completes', async () => {
    const head = repo.commit({ message: 'Rate limited' });
    const releaseId = await release('inventory-sync', head.sha);
    const refusedBefore = gh.requestsTo('POST', CREATE, 403).length;
    gh.fault({ kind: 'secondary', retryAfter: 1 }, { method: 'POST', path: /\/deployments$/ });
    const done = await deployed('inventory-sync/dev', releaseId);
    const view = await mirrored(done.id);
    expect(gh.requestsTo('POST', CREATE, 403).length).toBe(refusedBefore + 1);
    const copies = githubCopies(repo, done.id);
    expect(copies).toHaveLength(1);
    expect(sentStates(copies[0]!)).toEqual(expectedStates(done));
    expect(view.github?.error).toBeNull();
    expect(gh.contractProblems).toEqual([]);
  });

  it('records a 422 as failed with GitHub’s message and does not retry it', async () => {
    // A commit GitHub does not have: the create is refused for good.
    const missing = fakeSha(`missing ${randomUUID()}`);
    const releaseId = await release('inventory-sync', missing);
    const done = await deployed('inventory-sync/dev', releaseId);
    expect(done.status).toBe('succeeded');
    const view = await mirrored(done.id, 'failed');
    expect(view.github).toMatchObject({
      state: 'failed',
      deploymentId: null,
      url: null,
      error: `GitHub answered 422: No ref found for: ${missing}`,
    });
    const refused = () =>
      gh.requestsTo('POST', CREATE, 422).filter((r) => (r.body as { ref?: string }).ref === missing).length;
    expect(refused()).toBe(1);
    // More passes of the processor leave it alone.
    const processor = app.server.app.get(DeploymentMirrorProcessor);
    await processor.tick();
    await processor.tick();
    expect(refused()).toBe(1);
    expect((await getDeployment(app, done.id)).github?.state).toBe('failed');
    expect(githubCopies(repo, done.id)).toHaveLength(0);
    expect(gh.contractProblems).toEqual([]);
  });
});
