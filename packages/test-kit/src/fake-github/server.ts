// A fake GitHub REST API over real HTTP on loopback. Usage:
//
//   const gh = await startFakeGitHub();
//   const repo = gh.addRepo('acme', 'shop');            // the App is installed on acme
//   const c = repo.commit({ message: 'Fix checkout' });  // state: see state.ts
//   env: FLIGHTDECK_GITHUB_API_URL=gh.url, FLIGHTDECK_GITHUB_APP_ID=gh.app.id,
//        FLIGHTDECK_GITHUB_PRIVATE_KEY=gh.app.privateKey   (or FLIGHTDECK_GITHUB_TOKEN=gh.token)
//   gh.route('GET', '/repos/{owner}/{repo}/compare/{basehead}', ({ repo, params }) => ({ status: 200, body }));
//   gh.fault({ kind: 'secondary' }, { path: /\/deployments$/ });   // next matching request is refused
//   gh.fault({ kind: 'error502' }, { times: 1_000 }); ... gh.clearFaults();   // a spell of trouble
//   gh.fault({ kind: 'lostResponse' }, { method: 'POST' });   // carried out, then the connection drops
//   gh.requests / gh.requestsTo('GET', '/repos/{owner}/{repo}/releases')  // what was asked, how answered
//   gh.contractProblems  // answers (and request bodies) that do not match GitHub's OpenAPI description
//
// Like GitHub it checks credentials (App JWT → installation token exchange, tokens), sends
// x-ratelimit-* headers and counts requests per credential, answers a GET whose ETag matches
// If-None-Match with 304 without counting it, and can be scripted to refuse with primary (403/429 with
// x-ratelimit-reset) or secondary rate limits (403 with retry-after) or 500s, or to carry a request
// out and then drop the connection before answering (the client never learns what happened).
import { createHash, createPublicKey, generateKeyPairSync, randomBytes, verify } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GitHubContract } from './contract.js';
import { installFakeDeployments } from './deployments.js';
import { installBuiltInRoutes } from './routes.js';
import { FakeGitHubShapes, FakeRepo, nextFakeId } from './state.js';

export interface FakeGitHubAnswer {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

export interface FakeGitHubContext {
  readonly method: string;
  readonly path: string;
  // The route's path template, e.g. /repos/{owner}/{repo}/releases.
  readonly template: string;
  readonly params: Record<string, string>;
  readonly query: URLSearchParams;
  readonly body: unknown;
  readonly headers: IncomingHttpHeaders;
  // The repository named by {owner}/{repo} in the path, when it exists (else the route is a 404).
  readonly repo: FakeRepo | null;
  readonly gh: FakeGitHub;
}

export type FakeGitHubHandler = (context: FakeGitHubContext) => FakeGitHubAnswer | Promise<FakeGitHubAnswer>;

export interface FakeGitHubRouteOptions {
  // 'app': the App's JWT (installation lookups, token exchange); 'installation' (default): an
  // installation token or the personal token, with access to the repository's owner.
  readonly auth?: 'app' | 'installation' | 'none';
}

export type FakeGitHubFault =
  // Primary rate limit: x-ratelimit-remaining 0 and a reset `resetInSeconds` from now.
  | { readonly kind: 'primary'; readonly status?: 403 | 429; readonly resetInSeconds?: number }
  // Secondary rate limit: 403 (or 429) with retry-after.
  | { readonly kind: 'secondary'; readonly status?: 403 | 429; readonly retryAfter?: number }
  | { readonly kind: 'error500' }
  // A proxy in front of GitHub failing: 502, nothing done.
  | { readonly kind: 'error502' }
  // The connection is reset before any answer, nothing done.
  | { readonly kind: 'reset' }
  // The request is handled (and its answer checked against the contract), then the connection is
  // destroyed instead of answering.
  | { readonly kind: 'lostResponse' };

export interface FakeGitHubRequest {
  readonly method: string;
  readonly path: string;
  readonly template: string | null;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
  readonly status: number;
  readonly responseBody: unknown;
  readonly receivedAt: Date;
}

export interface FakeGitHubInstallation {
  readonly id: number;
  readonly owner: string;
  readonly createdAt: string;
}

interface Bucket {
  limit: number;
  remaining: number;
  reset: number;
}

interface Route {
  readonly method: string;
  readonly template: string;
  readonly pattern: RegExp;
  readonly names: string[];
  readonly handler: FakeGitHubHandler;
  readonly auth: 'app' | 'installation' | 'none';
}

interface ScriptedFault {
  readonly fault: FakeGitHubFault;
  times: number;
  readonly method?: string;
  readonly path?: RegExp;
}

export interface FakeGitHubOptions {
  // Requests per hour per credential (GitHub: 5000 for tokens and installations).
  readonly rateLimit?: number;
  // Validate answers against GitHub's OpenAPI description (default true).
  readonly contract?: boolean;
}

export class FakeGitHub {
  readonly requests: FakeGitHubRequest[] = [];
  readonly contractProblems: string[] = [];
  readonly repos = new Map<string, FakeRepo>();
  readonly installations = new Map<string, FakeGitHubInstallation>();
  // Installation tokens handed out: token → installation id and expiry (ms).
  readonly installationTokens = new Map<string, { installationId: number; expiresAt: number }>();
  // The GitHub App that may exchange its JWT for installation tokens.
  readonly app: { readonly id: string; readonly slug: string; readonly privateKey: string };
  // A personal access token with access to every repository.
  readonly token = `ghp_${randomBytes(18).toString('hex')}`;
  readonly shapes: FakeGitHubShapes;
  private readonly routes: Route[] = [];
  private readonly faults: ScriptedFault[] = [];
  private readonly buckets = new Map<string, Bucket>();
  private readonly publicKey: ReturnType<typeof createPublicKey>;
  private readonly contract: GitHubContract | null;

  constructor(
    readonly url: string,
    private readonly options: FakeGitHubOptions,
    private readonly stop: () => Promise<void>,
  ) {
    // GitHub hands out PKCS#1 ("BEGIN RSA PRIVATE KEY") App keys.
    const { privateKey, publicKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    this.publicKey = createPublicKey(publicKey);
    this.app = { id: String(nextFakeId()), slug: 'flightdeck-test', privateKey };
    this.shapes = new FakeGitHubShapes(url, url.replace('127.0.0.1', 'localhost'));
    this.contract = options.contract === false ? null : new GitHubContract();
  }

  // Adds a route (or replaces a built-in one with the same method and template).
  route(
    method: string,
    template: string,
    handler: FakeGitHubHandler,
    options: FakeGitHubRouteOptions = {},
  ): void {
    const names: string[] = [];
    const source = template.replace(/\{([^}]+)\}/g, (_m, name: string) => {
      names.push(name);
      // {basehead} and {ref} may contain dots and slashes-free refs; branch names may hold slashes.
      return name === 'branch' || name === 'ref' ? '(.+?)' : '([^/]+)';
    });
    const existing = this.routes.findIndex((r) => r.method === method && r.template === template);
    const route: Route = {
      method: method.toUpperCase(),
      template,
      pattern: new RegExp(`^${source}$`),
      names,
      handler,
      auth: options.auth ?? 'installation',
    };
    if (existing >= 0) this.routes[existing] = route;
    else this.routes.push(route);
  }

  addRepo(
    owner: string,
    name: string,
    options: { defaultBranch?: string; installed?: boolean } = {},
  ): FakeRepo {
    const repo = new FakeRepo(owner, name, options.defaultBranch);
    this.repos.set(`${owner}/${name}`.toLowerCase(), repo);
    if (options.installed !== false) this.installApp(owner);
    return repo;
  }

  repo(owner: string, name: string): FakeRepo {
    const found = this.repos.get(`${owner}/${name}`.toLowerCase());
    if (!found) throw new Error(`fake GitHub has no repository ${owner}/${name}`);
    return found;
  }

  installApp(owner: string): FakeGitHubInstallation {
    const key = owner.toLowerCase();
    let installation = this.installations.get(key);
    if (!installation) {
      installation = { id: nextFakeId(), owner, createdAt: new Date().toISOString() };
      this.installations.set(key, installation);
    }
    return installation;
  }

  // The next `times` requests (matching method/path when given) are refused with this fault.
  fault(fault: FakeGitHubFault, match: { times?: number; method?: string; path?: RegExp } = {}): void {
    this.faults.push({
      fault,
      times: match.times ?? 1,
      method: match.method?.toUpperCase(),
      path: match.path,
    });
  }

  // Drops every scripted fault not used yet (a spell of trouble is over).
  clearFaults(): void {
    this.faults.length = 0;
  }

  // Requests answered by one route (by its template), optionally of one status.
  requestsTo(method: string, template: string, status?: number): FakeGitHubRequest[] {
    return this.requests.filter(
      (r) =>
        r.method === method.toUpperCase() &&
        r.template === template &&
        (status === undefined || r.status === status),
    );
  }

  // The rate-limit budget of a credential: an installation's id, or 'token'.
  budget(credential: string): Bucket {
    let bucket = this.buckets.get(credential);
    if (!bucket || bucket.reset * 1000 <= Date.now()) {
      const limit = this.options.rateLimit ?? 5000;
      bucket = { limit, remaining: limit, reset: Math.floor(Date.now() / 1000) + 3600 };
      this.buckets.set(credential, bucket);
    }
    return bucket;
  }

  close(): Promise<void> {
    return this.stop();
  }

  async waitFor(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > until) throw new Error('fake GitHub: condition not met in time');
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  // Exposed for the server below.
  async handle(
    req: IncomingMessage,
    raw: Buffer,
  ): Promise<FakeGitHubAnswer & { template: string | null; reset?: boolean; lost?: boolean }> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    let body: unknown;
    if (raw.length) {
      try {
        body = JSON.parse(raw.toString('utf8')) as unknown;
      } catch {
        return { template: null, ...problem(400, 'Problems parsing JSON') };
      }
    }
    // The most specific match wins: /commits/{ref}/status over /commits/{ref} (refs may hold slashes).
    let params: Record<string, string> = {};
    let route: Route | undefined;
    for (const candidate of this.routes) {
      const m = candidate.method === method ? candidate.pattern.exec(url.pathname) : null;
      if (!m || (route && literalLength(route.template) >= literalLength(candidate.template))) continue;
      route = candidate;
      params = Object.fromEntries(candidate.names.map((name, i) => [name, decodeURIComponent(m[i + 1]!)]));
    }
    if (!route) return { template: null, ...problem(404, 'Not Found') };
    const template = route.template;

    const who = this.authenticate(route, req.headers.authorization, params.owner);
    if ('status' in who) return { template, ...who };
    const bucket = who.credential ? this.budget(who.credential) : null;
    const limitHeaders = (): Record<string, string> =>
      bucket
        ? {
            'x-ratelimit-limit': String(bucket.limit),
            'x-ratelimit-remaining': String(bucket.remaining),
            'x-ratelimit-used': String(bucket.limit - bucket.remaining),
            'x-ratelimit-reset': String(bucket.reset),
            'x-ratelimit-resource': 'core',
          }
        : {};

    const fault = this.takeFault(method, url.pathname);
    if (fault?.kind === 'reset') return { template, status: 0, reset: true };
    if (fault && fault.kind !== 'lostResponse') return { template, ...this.refuse(fault, bucket) };
    const lost = fault?.kind === 'lostResponse';
    if (bucket && bucket.remaining <= 0) {
      return {
        template,
        ...this.refuse({ kind: 'primary', resetInSeconds: bucket.reset - Date.now() / 1000 }, bucket),
      };
    }

    const repo =
      params.owner !== undefined && params.repo !== undefined
        ? (this.repos.get(`${params.owner}/${params.repo}`.toLowerCase()) ?? null)
        : null;
    if (params.owner !== undefined && params.repo !== undefined && !repo)
      return { template, ...problem(404, 'Not Found', limitHeaders()) };

    const answer = await route.handler({
      method,
      path: url.pathname,
      template,
      params,
      query: url.searchParams,
      body,
      headers: req.headers,
      repo,
      gh: this,
    });
    this.checkContract(method, template, url, body, answer);

    // Conditional requests: a matching ETag is a 304 that does not count against the rate limit.
    const headers: Record<string, string> = { ...answer.headers };
    if (method === 'GET' && answer.status === 200) {
      const etag = `W/"${createHash('sha256').update(JSON.stringify(answer.body)).digest('hex')}"`;
      headers.etag = etag;
      const ifNoneMatch = req.headers['if-none-match'];
      if (ifNoneMatch && ifNoneMatch.split(/\s*,\s*/).includes(etag)) {
        return { template, status: 304, headers: { ...headers, ...limitHeaders() } };
      }
    }
    if (bucket) bucket.remaining -= 1;
    return {
      template,
      status: answer.status,
      body: answer.body,
      headers: { ...headers, ...limitHeaders() },
      ...(lost ? { lost } : {}),
    };
  }

  private authenticate(
    route: Route,
    authorization: string | undefined,
    owner: string | undefined,
  ): { credential: string | null } | FakeGitHubAnswer {
    if (route.auth === 'none') return { credential: null };
    const match = /^(?:token|bearer)\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) return problem(401, 'Requires authentication');
    const presented = match[1]!;
    if (route.auth === 'app') {
      if (!this.validAppJwt(presented)) return problem(401, 'A JSON web token could not be decoded');
      return { credential: `app` };
    }
    if (presented === this.token) return { credential: 'token' };
    const token = this.installationTokens.get(presented);
    if (!token || token.expiresAt <= Date.now()) return problem(401, 'Bad credentials');
    if (owner !== undefined) {
      const installation = this.installations.get(owner.toLowerCase());
      // GitHub answers 404, not 403, for repositories a credential cannot see.
      if (installation?.id !== token.installationId) return problem(404, 'Not Found');
    }
    return { credential: String(token.installationId) };
  }

  private validAppJwt(jwt: string): boolean {
    const [header, payload, signature] = jwt.split('.');
    if (!header || !payload || !signature) return false;
    const ok = verify(
      'RSA-SHA256',
      Buffer.from(`${header}.${payload}`),
      this.publicKey,
      Buffer.from(signature, 'base64url'),
    );
    if (!ok) return false;
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      iss?: unknown;
      exp?: number;
      iat?: number;
    };
    const now = Date.now() / 1000;
    // GitHub: iss is the App id (or client id), exp at most 10 minutes ahead, iat not in the future.
    return (
      String(claims.iss) === this.app.id &&
      typeof claims.exp === 'number' &&
      claims.exp > now &&
      claims.exp - now <= 600 + 60 &&
      typeof claims.iat === 'number' &&
      claims.iat <= now + 60
    );
  }

  private takeFault(method: string, path: string): FakeGitHubFault | null {
    const index = this.faults.findIndex(
      (f) => f.times > 0 && (!f.method || f.method === method) && (!f.path || f.path.test(path)),
    );
    if (index < 0) return null;
    const scripted = this.faults[index]!;
    scripted.times -= 1;
    if (scripted.times <= 0) this.faults.splice(index, 1);
    return scripted.fault;
  }

  private refuse(
    fault: Exclude<FakeGitHubFault, { kind: 'lostResponse' | 'reset' }>,
    bucket: Bucket | null,
  ): FakeGitHubAnswer {
    const docs = 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api';
    if (fault.kind === 'error500') return { status: 500, body: { message: 'Server Error' } };
    if (fault.kind === 'error502') return { status: 502, body: { message: 'Server Error' } };
    if (fault.kind === 'primary') {
      const reset = Math.floor(Date.now() / 1000 + (fault.resetInSeconds ?? 0));
      const limit = bucket?.limit ?? 5000;
      return {
        status: fault.status ?? 403,
        body: { message: 'API rate limit exceeded for installation.', documentation_url: docs },
        headers: {
          'x-ratelimit-limit': String(limit),
          'x-ratelimit-remaining': '0',
          'x-ratelimit-used': String(limit),
          'x-ratelimit-reset': String(reset),
          'x-ratelimit-resource': 'core',
        },
      };
    }
    return {
      status: fault.status ?? 403,
      body: {
        message:
          'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.',
        documentation_url: docs,
      },
      headers: { 'retry-after': String(fault.retryAfter ?? 1) },
    };
  }

  private checkContract(method: string, template: string, url: URL, body: unknown, answer: FakeGitHubAnswer) {
    if (!this.contract) return;
    const problems = this.contract.check({
      method,
      template,
      query: url.searchParams,
      requestBody: body,
      status: answer.status,
      responseBody: answer.body,
    });
    this.contractProblems.push(...problems);
  }
}

function literalLength(template: string): number {
  return template.replace(/\{[^}]+\}/g, '').length;
}

export function problem(
  status: number,
  message: string,
  headers: Record<string, string> = {},
): FakeGitHubAnswer {
  return {
    status,
    body: { message, documentation_url: 'https://docs.github.com/rest', status: String(status) },
    headers,
  };
}

export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  let gh: FakeGitHub | null = null;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      void gh!
        .handle(req, raw)
        .catch((error: unknown) => ({
          template: null,
          ...problem(500, error instanceof Error ? error.message : 'fake GitHub failed'),
        }))
        .then((answer) => {
          let parsed: unknown;
          try {
            parsed = raw.length ? (JSON.parse(raw.toString('utf8')) as unknown) : undefined;
          } catch {
            parsed = undefined;
          }
          gh!.requests.push({
            method: (req.method ?? 'GET').toUpperCase(),
            path: url.pathname,
            template: answer.template,
            query: url.searchParams,
            headers: req.headers,
            body: parsed,
            status: answer.status,
            responseBody: answer.body,
            receivedAt: new Date(),
          });
          // Scripted: the connection drops before any answer (recorded as status 0).
          if ('reset' in answer && answer.reset) {
            req.socket.destroy();
            return;
          }
          if ('lost' in answer && answer.lost) {
            req.socket.destroy();
            return;
          }
          const headers: Record<string, string> = {
            'x-github-api-version-selected': '2022-11-28',
            'x-github-request-id': randomBytes(8).toString('hex').toUpperCase(),
            ...answer.headers,
          };
          if (answer.body !== undefined && answer.status !== 304) {
            headers['content-type'] = 'application/json; charset=utf-8';
            res.writeHead(answer.status, headers);
            res.end(JSON.stringify(answer.body));
          } else {
            res.writeHead(answer.status, headers);
            res.end();
          }
        });
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  gh = new FakeGitHub(`http://127.0.0.1:${port}`, options, async () => {
    server.closeAllConnections();
    await new Promise<void>((done) => server.close(() => done()));
  });
  installBuiltInRoutes(gh);
  installFakeDeployments(gh);
  return gh;
}
