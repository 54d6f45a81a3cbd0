import { type FakeGitHub, startFakeGitHub } from '@flightdeck/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitHubPoller } from '../../src/integrations/github/github-poller.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { gitHubEnv, releasesOf, serviceOnRepo } from './support.js';

describe('GitHub polling', () => {
  let gh: FakeGitHub;
  let app: TestApp;
  let poller: GitHubPoller;

  beforeAll(async () => {
    gh = await startFakeGitHub();
    app = await startTestApp({ env: gitHubEnv(gh) });
    poller = app.server.app.get(GitHubPoller);
  });
  afterAll(async () => {
    await app.close();
    await gh.close();
  });

  const releasesRoute = '/repos/{owner}/{repo}/releases';

  it('turns new releases into releases, and an unchanged repository into a 304 and nothing new', async () => {
    const repo = await serviceOnRepo(
      app,
      gh,
      'identity-gateway',
      { releasePublished: true },
      { polling: true },
    );
    const commit = repo.commit({ message: 'Rotate keys', author: { name: 'Lin', email: 'lin@example.com' } });
    repo.release({ tag: 'v1.0.0', body: 'Key rotation' });

    const first = await poller.runOnce();
    expect(first.ran).toBe(true);
    expect(await releasesOf(app, 'identity-gateway')).toMatchObject([
      {
        version: 'v1.0.0',
        commit_sha: commit.sha,
        notes: 'Key rotation',
        source: 'poll',
        author: 'lin@example.com',
      },
    ]);

    const polled = () => gh.requestsTo('GET', releasesRoute).filter((r) => r.path.includes(repo.name));
    const before = polled().length;
    const second = await poller.runOnce();
    const conditional = polled().slice(before);
    expect(conditional).toHaveLength(1);
    expect(conditional[0]!.headers['if-none-match']).toBeTruthy();
    expect(conditional[0]!.status).toBe(304);
    expect(second.unchanged).toBeGreaterThanOrEqual(1);
    expect(await releasesOf(app, 'identity-gateway')).toHaveLength(1);

    // A new release changes the answer: it is picked up, the first is not made again.
    repo.release({ tag: 'v1.1.0', body: 'More' });
    await poller.runOnce();
    expect((await releasesOf(app, 'identity-gateway')).map((r) => r.version)).toEqual(['v1.0.0', 'v1.1.0']);
    expect(gh.contractProblems).toEqual([]);
  });

  it('waits out primary and secondary rate limits and completes the poll', async () => {
    const repo = await serviceOnRepo(app, gh, 'notifications-worker', { tag: true }, { polling: true });
    const head = repo.commit({ message: 'Batch sends' });
    repo.tag('v3.0.0', head.sha);
    const tags = new RegExp(`^/repos/acme/${repo.name}/tags$`);
    gh.fault({ kind: 'primary', status: 403, resetInSeconds: 0 }, { path: tags });
    gh.fault({ kind: 'secondary', retryAfter: 1 }, { path: tags });
    await poller.runOnce();
    expect(
      gh
        .requestsTo('GET', '/repos/{owner}/{repo}/tags')
        .filter((r) => tags.test(r.path))
        .map((r) => r.status),
    ).toEqual([403, 403, 200]);
    expect(await releasesOf(app, 'notifications-worker')).toMatchObject([
      { version: 'v3.0.0', commit_sha: head.sha, source: 'poll' },
    ]);
  });

  it('releases the default branch head once its CI is green, looking again while it runs', async () => {
    const repo = await serviceOnRepo(app, gh, 'fraud-scoring', { push: true }, { polling: true });
    const head = repo.commit({ message: 'New model' });
    repo.status(head.sha, 'ci/build', 'pending');
    await poller.runOnce();
    expect(await releasesOf(app, 'fraud-scoring')).toEqual([]);
    repo.status(head.sha, 'ci/build', 'success');
    await poller.runOnce();
    expect(await releasesOf(app, 'fraud-scoring')).toMatchObject([
      { version: head.sha.slice(0, 7), commit_sha: head.sha, notes: 'New model', source: 'poll' },
    ]);
  });
});
