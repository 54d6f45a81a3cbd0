import {
  deliverWebhook,
  type FakeGitHub,
  FakeGitHubPayloads,
  startFakeGitHub,
  webhookDelivery,
} from '@flightdeck/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../support/sql.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { deliveryState, gitHubEnv, HOOK_SECRET, releasesOf, serviceOnRepo, waitFor } from './support.js';

describe('GitHub webhooks', () => {
  let gh: FakeGitHub;
  let app: TestApp;
  let payloads: FakeGitHubPayloads;
  let hookUrl: string;

  beforeAll(async () => {
    gh = await startFakeGitHub();
    payloads = new FakeGitHubPayloads(gh);
    app = await startTestApp({ env: gitHubEnv(gh) });
    hookUrl = `${app.url}/api/v1/integrations/github/webhook`;
  });
  afterAll(async () => {
    await app.close();
    await gh.close();
  });

  const deliveries = async () =>
    Number((await sql(app.db.url, 'SELECT count(*)::int AS n FROM github_deliveries'))[0]!.n);

  it('refuses a bad or missing signature with 401 and stores nothing', async () => {
    const repo = await serviceOnRepo(app, gh, 'catalog-search', { releasePublished: true });
    const release = repo.release({ tag: 'v9.9.9', body: 'Should never land' });
    const payload = payloads.release(repo, release);
    const before = await deliveries();
    const wrong = await deliverWebhook(hookUrl, webhookDelivery('not the secret', 'release', payload));
    const missing = await deliverWebhook(
      hookUrl,
      webhookDelivery(HOOK_SECRET, 'release', payload, { signature: null }),
    );
    // Signed, then altered on the way: the signature no longer covers the body.
    const signed = webhookDelivery(HOOK_SECRET, 'release', payload);
    const altered = await deliverWebhook(hookUrl, {
      ...signed,
      body: signed.body.replace('v9.9.9', 'v9.9.8'),
    });
    for (const answer of [wrong, missing, altered]) {
      expect(answer.status).toBe(401);
      expect(JSON.parse(answer.body)).toMatchObject({ code: 'INVALID_SIGNATURE' });
    }
    expect(await deliveries()).toBe(before);
    expect(await releasesOf(app, 'catalog-search')).toEqual([]);
    expect(app.logs.join('\n')).not.toContain(HOOK_SECRET);
  });

  it('makes one release from a published release delivered twice, with its commit, author, time and notes', async () => {
    const repo = await serviceOnRepo(app, gh, 'checkout-api', { releasePublished: true });
    const commit = repo.commit({
      message: 'Faster checkout',
      author: { name: 'Ada', email: 'ada@example.com', login: 'ada' },
    });
    const release = repo.release({ tag: 'v2.4.0', body: '## Changes\n- Faster checkout' });
    const delivery = webhookDelivery(HOOK_SECRET, 'release', payloads.release(repo, release));
    const first = await deliverWebhook(hookUrl, delivery);
    const second = await deliverWebhook(hookUrl, delivery);
    expect(first.status).toBe(202);
    expect(JSON.parse(first.body)).toEqual({ deliveryId: delivery.id, duplicate: false });
    expect(second.status).toBe(202);
    expect(JSON.parse(second.body)).toEqual({ deliveryId: delivery.id, duplicate: true });

    await waitFor(
      () => deliveryState(app, delivery.id),
      (d) => d?.state === 'done',
    );
    const releases = await releasesOf(app, 'checkout-api');
    expect(releases).toHaveLength(1);
    expect(releases[0]).toMatchObject({
      version: 'v2.4.0',
      commit_sha: commit.sha,
      notes: '## Changes\n- Faster checkout',
      source: 'webhook',
      author: 'ada@example.com',
    });
    expect(releases[0]!.committed_at?.toISOString().replace('.000', '')).toBe(commit.date);
    // The same release seen under another delivery id (GitHub's "released" after "published") is no second one.
    const again = webhookDelivery(HOOK_SECRET, 'release', payloads.release(repo, release));
    expect((await deliverWebhook(hookUrl, again)).status).toBe(202);
    await waitFor(
      () => deliveryState(app, again.id),
      (d) => d?.state === 'done',
    );
    expect(await releasesOf(app, 'checkout-api')).toHaveLength(1);
    expect(gh.contractProblems).toEqual([]);
  });

  it('releases a push to the default branch only once CI is green', async () => {
    const repo = await serviceOnRepo(app, gh, 'payments-service', { push: true });
    const head = repo.commit({ message: 'Retry card payments' });
    repo.checkRun(head.sha, 'build', 'in_progress');
    const push = webhookDelivery(HOOK_SECRET, 'push', payloads.push(repo));
    expect((await deliverWebhook(hookUrl, push)).status).toBe(202);
    const waiting = await waitFor(
      () => deliveryState(app, push.id),
      (d) => d?.outcome?.includes('waiting for CI') === true,
    );
    expect(waiting?.state).toBe('pending');
    expect(await releasesOf(app, 'payments-service')).toEqual([]);

    // A push to another branch never makes one.
    repo.commit({ message: 'WIP', branch: 'feature/x' });
    const other = webhookDelivery(HOOK_SECRET, 'push', payloads.push(repo, { branch: 'feature/x' }));
    await deliverWebhook(hookUrl, other);
    expect(
      await waitFor(
        () => deliveryState(app, other.id),
        (d) => d?.state === 'ignored',
      ),
    ).toMatchObject({
      outcome: expect.stringContaining('not to main') as string,
    });

    // CI finishes: its event wakes the waiting push.
    repo.checkRuns.find((r) => r.headSha === head.sha)!.status = 'completed';
    repo.checkRuns.find((r) => r.headSha === head.sha)!.conclusion = 'success';
    repo.status(head.sha, 'ci/lint', 'success');
    const status = webhookDelivery(HOOK_SECRET, 'status', {
      sha: head.sha,
      state: 'success',
      context: 'ci/lint',
      repository: { full_name: repo.fullName },
    });
    await deliverWebhook(hookUrl, status);
    await waitFor(
      () => deliveryState(app, push.id),
      (d) => d?.state === 'done',
    );
    expect(await releasesOf(app, 'payments-service')).toMatchObject([
      {
        version: head.sha.slice(0, 7),
        commit_sha: head.sha,
        notes: 'Retry card payments',
        source: 'webhook',
      },
    ]);
  });

  it('ignores a push whose CI failed', async () => {
    const repo = await serviceOnRepo(app, gh, 'inventory-sync', { push: true });
    const head = repo.commit({ message: 'Broken' });
    repo.status(head.sha, 'ci/test', 'failure');
    const push = webhookDelivery(HOOK_SECRET, 'push', payloads.push(repo));
    await deliverWebhook(hookUrl, push);
    const result = await waitFor(
      () => deliveryState(app, push.id),
      (d) => d?.state === 'ignored',
    );
    expect(result?.outcome).toContain('CI failed (ci/test)');
    expect(await releasesOf(app, 'inventory-sync')).toEqual([]);
  });

  it('releases a successful run of the named workflow, and a pushed tag', async () => {
    const repo = await serviceOnRepo(app, gh, 'web-storefront', {
      workflowRun: true,
      workflow: 'Deploy',
      tag: true,
    });
    const head = repo.commit({ message: 'New banner' });
    const ci = webhookDelivery(
      HOOK_SECRET,
      'workflow_run',
      payloads.workflowRun(repo, repo.workflowRun({ name: 'CI' })),
    );
    const failed = webhookDelivery(
      HOOK_SECRET,
      'workflow_run',
      payloads.workflowRun(repo, repo.workflowRun({ name: 'Deploy', conclusion: 'failure' })),
    );
    const deploy = webhookDelivery(
      HOOK_SECRET,
      'workflow_run',
      payloads.workflowRun(repo, repo.workflowRun({ name: 'Deploy' })),
    );
    for (const d of [ci, failed, deploy]) expect((await deliverWebhook(hookUrl, d)).status).toBe(202);
    await waitFor(
      () => deliveryState(app, deploy.id),
      (d) => d?.state === 'done',
    );
    expect(await deliveryState(app, ci.id)).toMatchObject({ state: 'ignored' });
    expect(await deliveryState(app, failed.id)).toMatchObject({ state: 'ignored' });

    repo.tag('v5.0.0', head.sha);
    const tag = webhookDelivery(HOOK_SECRET, 'create', payloads.tagCreated(repo, 'v5.0.0'));
    await deliverWebhook(hookUrl, tag);
    await waitFor(
      () => deliveryState(app, tag.id),
      (d) => d?.state === 'done',
    );
    expect((await releasesOf(app, 'web-storefront')).map((r) => [r.version, r.commit_sha])).toEqual([
      [head.sha.slice(0, 7), head.sha],
      ['v5.0.0', head.sha],
    ]);
  });

  it('shows the rules and the latest deliveries on the service, and refuses rules without a repository', async () => {
    const view = await app.admin.get<{
      rules: { push: boolean };
      recentDeliveries: unknown[];
      connection: unknown;
    }>('/api/v1/services/payments-service/github');
    expect(view.status).toBe(200);
    expect(view.body.rules.push).toBe(true);
    expect(view.body.connection).toMatchObject({ apiConfigured: true, webhooksConfigured: true });
    expect(view.body.recentDeliveries.length).toBeGreaterThan(0);

    await app.admin.patch('/api/v1/services/fraud-scoring', { repository: null });
    const refused = await app.admin.put('/api/v1/services/fraud-scoring/github', {
      rules: { push: true, workflowRun: false, workflow: null, releasePublished: false, tag: false },
      polling: false,
    });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'SERVICE_HAS_NO_REPOSITORY' });
    const viewer = await app.userWith('viewer');
    const denied = await viewer.put('/api/v1/services/payments-service/github', {
      rules: { push: false, workflowRun: false, workflow: null, releasePublished: false, tag: false },
      polling: false,
    });
    expect(denied.status).toBe(403);
  });
});
