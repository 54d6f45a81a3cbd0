// GitHub clients for the rest of Flightdeck. Usage:
//
//   const gh = await factory.forRepository({ owner: 'acme', repo: 'shop' });
//   const { data } = await gh.idempotent.request('GET /repos/{owner}/{repo}/compare/{basehead}', {...});
//   await gh.nonIdempotent.request('POST /repos/{owner}/{repo}/deployments', {...});
//
// `idempotent` retries 5xx and network failures (reads, PUTs of the same state); `nonIdempotent` never
// does (creating deployments, dispatching workflows), so a retry cannot create a second one. Both wait
// out GitHub's primary and secondary rate limits (a request refused by a rate limit was not carried
// out, so repeating it is safe), up to FLIGHTDECK_GITHUB_WAIT_SECONDS. Errors are octokit's
// RequestError (`status`, `response`); `gitHubFailure()` turns one into a sentence without secrets.
import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/core';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { RequestError } from '@octokit/request-error';
import type { Logger } from 'pino';
import { Gauge } from 'prom-client';
import type { GitHubConfig } from '../../config/config.js';
import type { Metrics } from '../../metrics/metrics.js';

export const GitHubOctokit = Octokit.plugin(retry, throttling);
export type GitHubOctokit = InstanceType<typeof GitHubOctokit>;

export interface GitHubClients {
  // Retries 5xx and connection failures (3 times, backing off): reads and repeatable writes.
  readonly idempotent: GitHubOctokit;
  // No retry of a failed request: writes that must happen at most once.
  readonly nonIdempotent: GitHubOctokit;
}

export interface GitHubRepositoryRef {
  readonly owner: string;
  readonly repo: string;
}

export class GitHubNotConfiguredError extends Error {
  override readonly name = 'GitHubNotConfiguredError';
  constructor() {
    super('GitHub is not configured (FLIGHTDECK_GITHUB_APP_ID or FLIGHTDECK_GITHUB_TOKEN)');
  }
}

export interface GitHubClientFactoryOptions {
  // Base of the backoff between retries of a failed idempotent request (GitHub's clients use 1 s).
  readonly retryBaseMs?: number;
  // Each request gives up after this long (a hung connection must not hold a job forever).
  readonly timeoutMs?: number;
}

// Rate-limit answers are retried at most this many times per request.
const MAX_LIMIT_RETRIES = 3;
// 429 belongs to the throttling plugin; the retry plugin must not retry it a second way.
const DO_NOT_RETRY = [400, 401, 403, 404, 410, 422, 429, 451];

// Builds and caches authenticated clients: one pair per repository owner (the GitHub App's
// installation there, whose tokens @octokit/auth-app caches and renews) or one pair for a token.
export class GitHubClientFactory {
  private readonly clients = new Map<string, Promise<GitHubClients>>();
  private readonly installations = new Map<string, number>();
  private readonly tokenCache = new Map<string, unknown>();
  private readonly remaining: Gauge<'owner' | 'resource'>;
  private readonly limit: Gauge<'owner' | 'resource'>;
  private appClient: GitHubOctokit | null = null;

  constructor(
    private readonly config: GitHubConfig,
    metrics: Metrics,
    private readonly logger: Logger,
    private readonly options: GitHubClientFactoryOptions = {},
  ) {
    this.remaining = gauge(metrics, 'flightdeck_github_rate_limit_remaining', 'GitHub API requests left');
    this.limit = gauge(metrics, 'flightdeck_github_rate_limit_limit', 'GitHub API requests allowed per hour');
  }

  get configured(): boolean {
    return this.config.auth !== null;
  }

  // Clients acting on one repository: with a GitHub App, the installation on its owner.
  async forRepository(ref: GitHubRepositoryRef): Promise<GitHubClients> {
    const auth = this.config.auth;
    if (!auth) throw new GitHubNotConfiguredError();
    const key = auth.kind === 'token' ? '' : ref.owner.toLowerCase();
    let clients = this.clients.get(key);
    if (!clients) {
      clients = this.build(ref);
      this.clients.set(key, clients);
      // A failed installation lookup is not cached: the App may be installed a minute later.
      clients.catch(() => this.clients.delete(key));
    }
    return clients;
  }

  private async build(ref: GitHubRepositoryRef): Promise<GitHubClients> {
    const auth = this.config.auth!;
    if (auth.kind === 'token') {
      const make = (retries: boolean) => this.octokit({ auth: auth.token }, 'token', retries);
      return { idempotent: make(true), nonIdempotent: make(false) };
    }
    const installationId = await this.installationFor(ref);
    const owner = ref.owner.toLowerCase();
    const make = (retries: boolean) =>
      this.octokit(
        {
          authStrategy: createAppAuth,
          auth: {
            appId: auth.appId,
            privateKey: auth.privateKey,
            installationId,
            cache: this.tokenCache,
          },
        },
        owner,
        retries,
      );
    return { idempotent: make(true), nonIdempotent: make(false) };
  }

  // The App's installation on the repository's owner (GitHub answers 404 when it is not installed there).
  private async installationFor(ref: GitHubRepositoryRef): Promise<number> {
    const owner = ref.owner.toLowerCase();
    const known = this.installations.get(owner);
    if (known !== undefined) return known;
    const { data } = await this.app().request('GET /repos/{owner}/{repo}/installation', {
      owner: ref.owner,
      repo: ref.repo,
    });
    this.installations.set(owner, data.id);
    return data.id;
  }

  // Authenticated as the App itself (a short-lived JWT): only for finding installations.
  private app(): GitHubOctokit {
    const auth = this.config.auth;
    if (auth?.kind !== 'app') throw new GitHubNotConfiguredError();
    this.appClient ??= this.octokit(
      { authStrategy: createAppAuth, auth: { appId: auth.appId, privateKey: auth.privateKey } },
      'app',
      true,
    );
    return this.appClient;
  }

  private octokit(
    auth: { auth: unknown; authStrategy?: typeof createAppAuth },
    owner: string,
    retries: boolean,
  ): GitHubOctokit {
    const maxWait = this.config.maxWaitSeconds;
    const log = this.logger;
    const waitOut =
      (kind: string) =>
      (retryAfter: number, options: { method?: string; url?: string }, _o: unknown, retryCount: number) => {
        const wait = retryCount < MAX_LIMIT_RETRIES && retryAfter <= maxWait;
        log.warn(
          { github: { owner, method: options.method, route: options.url, retryAfter, retryCount, wait } },
          wait ? `GitHub ${kind} rate limit: waiting it out` : `GitHub ${kind} rate limit: giving up`,
        );
        return wait;
      };
    const timeoutMs = this.options.timeoutMs ?? 30_000;
    const octokit = new GitHubOctokit({
      ...auth,
      baseUrl: this.config.apiUrl,
      userAgent: 'flightdeck',
      request: {
        ...(retries ? {} : { retries: 0 }),
        fetch: (url: string | URL, init?: RequestInit) =>
          fetch(url, { ...init, signal: withTimeout(init?.signal ?? undefined, timeoutMs) }),
      },
      retry: {
        enabled: retries,
        doNotRetry: DO_NOT_RETRY,
        ...(this.options.retryBaseMs !== undefined ? { retryAfterBaseValue: this.options.retryBaseMs } : {}),
      },
      throttle: {
        // Per owner: one installation's write pacing does not slow another's.
        id: `flightdeck-${owner}`,
        onRateLimit: waitOut('primary'),
        onSecondaryRateLimit: waitOut('secondary'),
      },
      // Octokit's own messages (deprecations, retries) go to our log; they carry no credentials.
      log: {
        debug: () => undefined,
        info: () => undefined,
        warn: (message: string) => log.warn({ github: { owner } }, message),
        error: (message: string) => log.error({ github: { owner } }, message),
      },
    });
    octokit.hook.after('request', (response) => this.observe(owner, response.headers));
    octokit.hook.error('request', (error) => {
      if (error instanceof RequestError && error.response) this.observe(owner, error.response.headers);
      throw error;
    });
    return octokit;
  }

  private observe(owner: string, headers: Record<string, unknown>): void {
    const remaining = Number(headers['x-ratelimit-remaining']);
    const limit = Number(headers['x-ratelimit-limit']);
    const resource =
      typeof headers['x-ratelimit-resource'] === 'string' ? headers['x-ratelimit-resource'] : 'core';
    if (Number.isFinite(remaining)) this.remaining.set({ owner, resource }, remaining);
    if (Number.isFinite(limit)) this.limit.set({ owner, resource }, limit);
  }
}

function gauge(metrics: Metrics, name: string, help: string): Gauge<'owner' | 'resource'> {
  const existing = metrics.registry.getSingleMetric(name);
  if (existing) return existing as Gauge<'owner' | 'resource'>;
  return new Gauge({ name, help, labelNames: ['owner', 'resource'], registers: [metrics.registry] });
}

function withTimeout(signal: AbortSignal | undefined, ms: number): AbortSignal {
  const timeout = AbortSignal.timeout(ms);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}

// A refusal by a primary or secondary rate limit (after the wait allowed was spent): worth retrying later.
export function isRateLimited(error: unknown): boolean {
  if (!(error instanceof RequestError) || (error.status !== 403 && error.status !== 429)) return false;
  const headers = error.response?.headers ?? {};
  return (
    headers['x-ratelimit-remaining'] === '0' ||
    headers['retry-after'] !== undefined ||
    /rate limit/i.test(error.message)
  );
}

// One line for logs and stored errors: status and GitHub's message, never headers or tokens.
export function gitHubFailure(error: unknown): string {
  if (error instanceof RequestError) {
    const data = error.response?.data as { message?: unknown } | undefined;
    const message = typeof data?.message === 'string' ? data.message : error.message.split('\n')[0];
    return `GitHub answered ${error.status}: ${message}`;
  }
  if (error instanceof Error) return `GitHub could not be reached: ${error.message.split('\n')[0]}`;
  return 'GitHub could not be reached';
}
