import { randomUUID } from 'node:crypto';
import type { Changelog } from '@flightdeck/contracts';
import {
  type FakeGitHub,
  type FakeRepo,
  fakePullRequest,
  installFakeCompare,
  startFakeGitHub,
} from '@flightdeck/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../support/sql.js';
import { stageIds, startTestApp, type TestApp } from '../support/test-app.js';
import { gitHubEnv, serviceOnRepo } from './support.js';

const COMPARE = '/repos/{owner}/{repo}/compare/{basehead}';

describe('changelog between what runs on a stage and a candidate', () => {
  let gh: FakeGitHub;
  let app: TestApp;
  let stages: Record<string, string>;

  beforeAll(async () => {
    gh = await startFakeGitHub();
    installFakeCompare(gh);
    app = await startTestApp({ env: gitHubEnv(gh) });
    stages = await stageIds(app);
  });
  afterAll(async () => {
    await app.close();
    await gh.close();
  });

  // A release of the service at a commit; `runsOn` makes it what runs on that stage.
  async function release(slug: string, version: string, sha: string, runsOn?: string): Promise<string> {
    const id = randomUUID();
    await sql(
      app.db.url,
      `INSERT INTO releases (id, service_id, version, commit_sha, source)
       SELECT $1, id, $3, $4, 'api' FROM services WHERE slug = $2`,
      [id, slug, version, sha],
    );
    if (runsOn) {
      await sql(app.db.url, 'UPDATE stage_states SET current_release_id = $2 WHERE stage_id = $1', [
        runsOn,
        id,
      ]);
    }
    return id;
  }

  const changelog = (stageId: string, releaseId: string) =>
    app.get<Changelog & { code?: string }>(`/api/v1/stages/${stageId}/changelog?release=${releaseId}`);

  it('lists the commits newest first with their authors, and their pull requests once each', async () => {
    const repo: FakeRepo = await serviceOnRepo(app, gh, 'checkout-api', {});
    const stageId = stages['checkout-api/staging']!;
    const base = repo.commit({ message: 'Release 1.0' });
    await release('checkout-api', 'cl-1.0', base.sha, stageId);
    const a = repo.commit({
      message: 'Faster checkout\n\nCaches the cart.',
      author: { name: 'Ada Lovelace', email: 'ada@example.com', login: 'ada' },
    });
    const b = repo.commit({
      message: 'Fix rounding',
      author: { name: 'Grace Hopper', email: 'grace@example.com' },
    });
    const c = repo.commit({
      message: 'Merge pull request #2',
      author: { name: 'Ada', email: 'ada@example.com', login: 'ada' },
    });
    fakePullRequest(repo, { title: 'Faster checkout', author: 'ada', commits: [a.sha, b.sha] });
    fakePullRequest(repo, { title: 'Rounding', author: 'grace', commits: [c.sha] });
    const candidate = await release('checkout-api', 'cl-1.1', c.sha);

    const { status, body } = await changelog(stageId, candidate);
    expect(status).toBe(200);
    expect(body).toMatchObject({ available: true, direction: 'forward', baseSha: base.sha, headSha: c.sha });
    if (!body.available) throw new Error('unavailable');
    expect(body.commits.map((x) => [x.title, x.author])).toEqual([
      ['Merge pull request #2', 'ada'],
      ['Fix rounding', 'Grace Hopper'],
      ['Faster checkout', 'ada'],
    ]);
    expect(body.commits[2]!.url).toContain(`/commit/${a.sha}`);
    expect(body.pullRequests.map((pr) => [pr.number, pr.title, pr.author])).toEqual([
      [2, 'Rounding', 'grace'],
      [1, 'Faster checkout', 'ada'],
    ]);
    expect(body).toMatchObject({ moreCommits: 0, pullRequestsComplete: true });

    // Compares of two commits never change: the second look does not ask GitHub again.
    const asked = gh.requestsTo('GET', COMPARE).length;
    expect((await changelog(stageId, candidate)).body).toEqual(body);
    expect(gh.requestsTo('GET', COMPARE)).toHaveLength(asked);
    expect(gh.contractProblems).toEqual([]);
  });

  it('says how many more commits there are beyond the listed ones, and lists a rollback backwards', async () => {
    const repo = await serviceOnRepo(app, gh, 'catalog-search', {});
    const stageId = stages['catalog-search/staging']!;
    const old = repo.commit({ message: 'Old' });
    for (let i = 0; i < 110; i++) repo.commit({ message: `Change ${i}` });
    const head = repo.head();
    await release('catalog-search', 'cl-2.0', old.sha, stageId);
    const candidate = await release('catalog-search', 'cl-2.1', head.sha);
    const { body } = await changelog(stageId, candidate);
    expect(body).toMatchObject({ available: true, moreCommits: 10, pullRequestsComplete: false });
    if (!body.available) throw new Error('unavailable');
    expect(body.commits).toHaveLength(100);
    expect(body.commits[0]!.title).toBe('Change 109');

    // The newer release runs; going back to the old one takes those commits away.
    await sql(app.db.url, 'UPDATE stage_states SET current_release_id = $2 WHERE stage_id = $1', [
      stageId,
      candidate,
    ]);
    const oldId = (await sql(app.db.url, "SELECT id FROM releases WHERE version = 'cl-2.0'"))[0]!
      .id as string;
    const back = await changelog(stageId, oldId);
    expect(back.body).toMatchObject({ available: true, direction: 'backward', moreCommits: 10 });
  });

  it('answers available: false with the reason instead of an error', async () => {
    const stageId = stages['checkout-api/production']!;
    const slug = 'fraud-scoring';
    await sql(app.db.url, 'UPDATE services SET repo_owner = NULL, repo_name = NULL WHERE slug = $1', [slug]);
    const repoLess = stages[`${slug}/staging`]!;
    const candidate = await release(slug, 'cl-3.0', 'f'.repeat(40));
    const noRepo = await changelog(repoLess, candidate);
    expect(noRepo.status).toBe(200);
    expect(noRepo.body).toEqual({ available: false, reason: `${slug} has no GitHub repository` });

    // Nothing on the stage yet.
    const repo = gh.repo(
      'acme',
      (await sql(app.db.url, "SELECT repo_name FROM services WHERE slug = 'checkout-api'"))[0]!
        .repo_name as string,
    );
    await sql(app.db.url, 'UPDATE stage_states SET current_release_id = NULL WHERE stage_id = $1', [stageId]);
    const first = await release('checkout-api', 'cl-3.1', repo.head().sha);
    const empty = (await changelog(stageId, first)).body;
    expect(empty.available).toBe(false);
    expect(!empty.available && empty.reason).toContain('Nothing runs on production');

    // GitHub does not know the commit running there.
    await release('checkout-api', 'cl-3.2', 'e'.repeat(40), stageId);
    const missing = await changelog(stageId, first);
    expect(!missing.body.available && missing.body.reason).toContain('GitHub answered 404');

    // Bad input is a 4xx naming the field.
    const other = await changelog(stages['catalog-search/staging']!, first);
    expect(other.status).toBe(400);
    expect(other.body.code).toBe('RELEASE_OF_ANOTHER_SERVICE');
    expect((await changelog(stageId, 'nope')).status).toBe(400);
    expect((await changelog(stageId, randomUUID())).status).toBe(404);
  });
});
