import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitHubContract } from './contract.js';
import { type FakeGitHub, startFakeGitHub } from './server.js';
import { FakeGitHubPayloads, signWebhookBody, webhookDelivery } from './webhooks.js';

describe('webhook signatures', () => {
  it("match GitHub's published test vector", () => {
    expect(signWebhookBody("It's a Secret to Everybody", 'Hello, World!')).toBe(
      'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
    );
  });

  it('sign the exact body sent, with GitHub’s headers', () => {
    const delivery = webhookDelivery('s3cret-value', 'push', { a: 1 });
    expect(delivery.headers['x-hub-signature-256']).toBe(signWebhookBody('s3cret-value', delivery.body));
    expect(delivery.headers['x-github-event']).toBe('push');
    expect(delivery.headers['x-github-delivery']).toBe(delivery.id);
  });
});

describe('fake GitHub', () => {
  let gh: FakeGitHub;
  beforeAll(async () => {
    gh = await startFakeGitHub();
  });
  afterAll(() => gh.close());

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(gh.url + path, { headers: { authorization: `token ${gh.token}`, ...headers } });

  it('serves releases, tags, branches and commits that follow GitHub’s OpenAPI description', async () => {
    const repo = gh.addRepo('acme', 'contract');
    const commit = repo.commit({ message: 'Add checkout' });
    repo.release({ tag: 'v1.0.0', body: 'First release' });
    repo.status(commit.sha, 'ci/build', 'success');
    repo.checkRun(commit.sha, 'test', 'completed', 'success');
    repo.workflowRun({ name: 'CI' });
    for (const path of [
      '/repos/acme/contract/releases?per_page=10',
      '/repos/acme/contract/tags',
      '/repos/acme/contract/branches/main',
      `/repos/acme/contract/commits/${commit.sha}`,
      '/repos/acme/contract/commits/main/status',
      '/repos/acme/contract/commits/main/check-runs',
      '/repos/acme/contract/actions/runs?branch=main',
    ]) {
      const res = await get(path);
      expect(res.status, `${path} ${await res.text()}`).toBe(200);
    }
    expect(gh.contractProblems).toEqual([]);
    const releases = gh.requestsTo('GET', '/repos/{owner}/{repo}/releases')[0]!.responseBody as Array<{
      tag_name: string;
      body: string;
    }>;
    expect(releases[0]).toMatchObject({ tag_name: 'v1.0.0', body: 'First release' });
  });

  it('reports answers that GitHub would not give', () => {
    const problems = new GitHubContract().check({
      method: 'GET',
      template: '/repos/{owner}/{repo}/tags',
      query: new URLSearchParams('per_page=5&sort=name'),
      requestBody: undefined,
      status: 200,
      responseBody: [{ name: 'v1', sha: 'abc' }],
    });
    expect(problems.join('\n')).toMatch(/undeclared query parameter sort/);
    expect(problems.join('\n')).toMatch(/required property 'commit'/);
    expect(problems.join('\n')).toMatch(/must NOT have additional properties \(sha\)/);
  });

  it('answers an unchanged GET with 304 for its ETag without counting it', async () => {
    gh.addRepo('acme', 'etag');
    const first = await get('/repos/acme/etag/tags');
    const etag = first.headers.get('etag')!;
    const remaining = Number(first.headers.get('x-ratelimit-remaining'));
    const second = await get('/repos/acme/etag/tags', { 'if-none-match': etag });
    expect(second.status).toBe(304);
    expect(Number(second.headers.get('x-ratelimit-remaining'))).toBe(remaining);
    gh.repo('acme', 'etag').tag('v2');
    const third = await get('/repos/acme/etag/tags', { 'if-none-match': etag });
    expect(third.status).toBe(200);
    expect(Number(third.headers.get('x-ratelimit-remaining'))).toBe(remaining - 1);
  });

  it('refuses missing and wrong credentials, and repositories outside an installation', async () => {
    gh.addRepo('acme', 'auth');
    gh.addRepo('other', 'private', { installed: false });
    expect((await fetch(`${gh.url}/repos/acme/auth/tags`)).status).toBe(401);
    expect((await get('/repos/acme/auth/tags', { authorization: 'token ghs_wrong' })).status).toBe(401);
    expect(
      (await get('/repos/other/private/installation', { authorization: `token ${gh.token}` })).status,
    ).toBe(401);
  });

  it('scripts primary and secondary rate limits like GitHub', async () => {
    gh.addRepo('acme', 'limits');
    gh.fault({ kind: 'primary', status: 429, resetInSeconds: 30 });
    const primary = await get('/repos/acme/limits/tags');
    expect(primary.status).toBe(429);
    expect(primary.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(primary.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    gh.fault({ kind: 'secondary', retryAfter: 2 });
    const secondary = await get('/repos/acme/limits/tags');
    expect(secondary.status).toBe(403);
    expect(secondary.headers.get('retry-after')).toBe('2');
    expect(((await secondary.json()) as { message: string }).message).toMatch(/secondary rate limit/);
    expect((await get('/repos/acme/limits/tags')).status).toBe(200);
  });

  it('scripts 502s and connection resets until the faults are cleared', async () => {
    gh.addRepo('acme', 'flaky');
    gh.fault({ kind: 'error502' }, { method: 'GET', times: 100 });
    expect((await get('/repos/acme/flaky/tags')).status).toBe(502);
    gh.clearFaults();
    gh.fault({ kind: 'reset' }, { times: 100 });
    await expect(get('/repos/acme/flaky/tags')).rejects.toThrow();
    expect(gh.requests.at(-1)?.status).toBe(0);
    gh.clearFaults();
    expect((await get('/repos/acme/flaky/tags')).status).toBe(200);
  });

  it('builds webhook payloads from its state', () => {
    const repo = gh.addRepo('acme', 'hooks');
    const head = repo.commit({ message: 'Ship it' });
    const payload = new FakeGitHubPayloads(gh).push(repo);
    expect(payload).toMatchObject({ ref: 'refs/heads/main', after: head.sha });
    expect(payload.head_commit.message).toBe('Ship it');
  });
});
