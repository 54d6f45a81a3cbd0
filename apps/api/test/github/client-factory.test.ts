import { type FakeGitHub, startFakeGitHub } from '@flightdeck/test-kit';
import { RequestError } from '@octokit/request-error';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GitHubConfig } from '../../src/config/config.js';
import { GitHubClientFactory } from '../../src/integrations/github/github-client.factory.js';
import { Metrics } from '../../src/metrics/metrics.js';
import { memoryLogger } from '../support/test-app.js';

describe('GitHub client factory', () => {
  let gh: FakeGitHub;
  const logs: string[] = [];
  const metrics = new Metrics();

  beforeAll(async () => {
    gh = await startFakeGitHub();
  });
  afterAll(() => gh.close());

  const config = (auth: GitHubConfig['auth']): GitHubConfig => ({
    apiUrl: gh.url,
    auth,
    webhookSecret: null,
    pollIntervalMs: 60_000,
    maxWaitSeconds: 30,
  });
  const appFactory = () =>
    new GitHubClientFactory(
      config({ kind: 'app', appId: gh.app.id, privateKey: gh.app.privateKey }),
      metrics,
      memoryLogger(logs),
      { retryBaseMs: 10 },
    );

  it('acts as the GitHub App’s installation on the repository’s owner, reusing its token', async () => {
    const repo = gh.addRepo('app-owner', 'shop');
    const factory = appFactory();
    const { idempotent } = await factory.forRepository({ owner: 'app-owner', repo: 'shop' });
    const first = await idempotent.request('GET /repos/{owner}/{repo}/branches/{branch}', {
      owner: 'app-owner',
      repo: 'shop',
      branch: 'main',
    });
    expect(first.data.commit.sha).toBe(repo.head().sha);
    const again = await factory.forRepository({ owner: 'App-Owner', repo: 'other' });
    await again.nonIdempotent.request('GET /repos/{owner}/{repo}/tags', { owner: 'app-owner', repo: 'shop' });
    expect(gh.requestsTo('GET', '/repos/{owner}/{repo}/installation')).toHaveLength(1);
    expect(gh.requestsTo('POST', '/app/installations/{installation_id}/access_tokens')).toHaveLength(1);
    const tokenUsed = gh.requestsTo('GET', '/repos/{owner}/{repo}/tags').at(-1)!.headers.authorization;
    expect(tokenUsed).toMatch(/^token ghs_/);
    expect(gh.contractProblems).toEqual([]);
    // Nothing secret in the log.
    expect(logs.join('\n')).not.toContain('ghs_');
  });

  it('answers 404 for an owner without the App installed, and finds it once installed', async () => {
    gh.addRepo('late-owner', 'api', { installed: false });
    const factory = appFactory();
    const refused = await factory
      .forRepository({ owner: 'late-owner', repo: 'api' })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RequestError);
    expect((refused as RequestError).status).toBe(404);
    gh.installApp('late-owner');
    const { idempotent } = await factory.forRepository({ owner: 'late-owner', repo: 'api' });
    const tags = await idempotent.request('GET /repos/{owner}/{repo}/tags', {
      owner: 'late-owner',
      repo: 'api',
    });
    expect(tags.status).toBe(200);
  });

  it('works with a token, and exposes the rate-limit budget as a metric', async () => {
    gh.addRepo('token-owner', 'web');
    const factory = new GitHubClientFactory(
      config({ kind: 'token', token: gh.token }),
      metrics,
      memoryLogger(logs),
    );
    const { idempotent } = await factory.forRepository({ owner: 'token-owner', repo: 'web' });
    const response = await idempotent.request('GET /repos/{owner}/{repo}/tags', {
      owner: 'token-owner',
      repo: 'web',
    });
    const remaining = Number(response.headers['x-ratelimit-remaining']);
    const exposition = await metrics.registry.metrics();
    expect(exposition).toContain(
      `flightdeck_github_rate_limit_remaining{owner="token",resource="core"} ${remaining}`,
    );
    expect(exposition).toContain('flightdeck_github_rate_limit_limit{owner="token",resource="core"} 5000');
  });

  it('waits out a primary rate limit (403 and 429 with x-ratelimit-reset) and completes', async () => {
    gh.addRepo('limited', 'svc');
    const { idempotent } = await appFactory().forRepository({ owner: 'limited', repo: 'svc' });
    gh.fault({ kind: 'primary', status: 403, resetInSeconds: 0 }, { path: /^\/repos\/limited\/svc\/tags$/ });
    gh.fault({ kind: 'primary', status: 429, resetInSeconds: 0 }, { path: /^\/repos\/limited\/svc\/tags$/ });
    const response = await idempotent.request('GET /repos/{owner}/{repo}/tags', {
      owner: 'limited',
      repo: 'svc',
    });
    expect(response.status).toBe(200);
    expect(
      gh
        .requestsTo('GET', '/repos/{owner}/{repo}/tags')
        .filter((r) => r.path === '/repos/limited/svc/tags')
        .map((r) => r.status),
    ).toEqual([403, 429, 200]);
  });

  it('waits out a secondary rate limit for a write that must happen once, without repeating failures', async () => {
    const repo = gh.addRepo('writer', 'svc');
    let created = 0;
    gh.route('POST', '/repos/{owner}/{repo}/dispatches', () => {
      created += 1;
      return { status: 204 };
    });
    const { nonIdempotent } = await appFactory().forRepository({ owner: 'writer', repo: 'svc' });
    gh.fault({ kind: 'secondary', retryAfter: 1 }, { method: 'POST', path: /dispatches$/ });
    await nonIdempotent.request('POST /repos/{owner}/{repo}/dispatches', {
      owner: repo.owner,
      repo: repo.name,
      event_type: 'deploy',
    });
    expect(created).toBe(1);

    // A 500 may have happened after the write: it is not repeated.
    gh.fault({ kind: 'error500' }, { method: 'POST', path: /dispatches$/ });
    const failed = await nonIdempotent
      .request('POST /repos/{owner}/{repo}/dispatches', {
        owner: repo.owner,
        repo: repo.name,
        event_type: 'deploy',
      })
      .catch((e: unknown) => e);
    expect((failed as RequestError).status).toBe(500);
    expect(gh.requestsTo('POST', '/repos/{owner}/{repo}/dispatches').map((r) => r.status)).toEqual([
      403, 204, 500,
    ]);
  });

  it('retries a failed read', async () => {
    gh.addRepo('flaky', 'svc');
    const { idempotent } = await appFactory().forRepository({ owner: 'flaky', repo: 'svc' });
    gh.fault({ kind: 'error500' }, { path: /^\/repos\/flaky\/svc\/tags$/, times: 2 });
    const response = await idempotent.request('GET /repos/{owner}/{repo}/tags', {
      owner: 'flaky',
      repo: 'svc',
    });
    expect(response.status).toBe(200);
  });
});
