import { createHash, randomUUID } from 'node:crypto';
import autocannon, { type Result } from 'autocannon';
import type { BenchSize } from './sizes.js';
import { summarise, type LatencySummary } from './stats.js';

export interface LoadResult {
  name: string;
  description: string;
  connections: number;
  durationSeconds: number;
  latency: LatencySummary;
  requestsPerSecond: number;
  // Mean response size in bytes.
  meanBytes: number;
  statuses: Record<string, number>;
  errors: number;
}

export interface Scenario {
  name: string;
  description: string;
  // Runs before the scenario's warm-up (e.g. to learn a validator to revalidate with).
  prepare?: (url: string, token: string) => Promise<void>;
  requests: Array<{
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    setupRequest?: (request: Record<string, unknown>) => Record<string, unknown>;
  }>;
}

// The ids the seed gave its rows (md5 of their position as a v4-shaped UUID, see seed.ts).
export const seededId = (key: string): string => {
  const md5 = createHash('md5').update(key).digest('hex');
  const hex = `${md5.slice(0, 12)}4${md5.slice(13, 16)}8${md5.slice(17)}`;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};
const serviceSlug = (i: number) => `svc-${String(i).padStart(4, '0')}`;
const randomService = (size: BenchSize) => 1 + Math.floor(Math.random() * size.services);
// What a browser sends: the board is always asked for compressed.
const GZIP = { 'accept-encoding': 'gzip, deflate, br' };
// The page size an API client walking the board would use.
const PAGE = 50;

async function getJson(url: string, token: string, path: string): Promise<Response> {
  return fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}`, ...GZIP } });
}

// Every page's path of a walk of the board, first to last (following nextCursor).
async function boardPagePaths(url: string, token: string): Promise<string[]> {
  const paths = [`/api/v1/board?limit=${PAGE}`];
  for (;;) {
    const page = (await (await getJson(url, token, paths.at(-1)!)).json()) as { nextCursor?: string | null };
    if (!page.nextCursor) return paths;
    paths.push(`/api/v1/board?limit=${PAGE}&cursor=${page.nextCursor}`);
  }
}

export function scenarios(size: BenchSize): Scenario[] {
  // The four calls the service page makes, for one random service per visit.
  let slug = serviceSlug(1);
  const visit = (path: (slug: string) => string, first = false) => ({
    method: 'GET',
    setupRequest: (request: Record<string, unknown>) => {
      if (first) slug = serviceSlug(randomService(size));
      return { ...request, path: path(slug) };
    },
  });
  // The board's validator as the API gave it just before the revalidating run.
  let boardEtag = '';
  // The pages of the board as the API gave them just before the random-page run.
  let pagePaths: string[] = [];
  return [
    {
      // The board between changes: one request builds it first (that cost is the board-cold row).
      name: 'board',
      description: 'GET /api/v1/board (every service × environment), gzip accepted like a browser',
      prepare: async (url, token) => {
        await (await getJson(url, token, '/api/v1/board')).arrayBuffer();
      },
      requests: [{ path: '/api/v1/board', headers: GZIP }],
    },
    {
      // A browser that has the board already: TanStack Query refetches it on every live event and
      // every 60 s, and the browser revalidates its copy with If-None-Match (304 while unchanged).
      name: 'board-revalidate',
      description: 'GET /api/v1/board with If-None-Match of the current board (a browser revalidating)',
      prepare: async (url, token) => {
        const response = await getJson(url, token, '/api/v1/board');
        await response.arrayBuffer();
        boardEtag = response.headers.get('etag') ?? '';
      },
      requests: [
        {
          path: '/api/v1/board',
          setupRequest: (request) => ({
            ...request,
            headers: { ...(request.headers as Record<string, string>), ...GZIP, 'if-none-match': boardEtag },
          }),
        },
      ],
    },
    {
      // An API client's first page (a slice of the cached board, serialised and gzipped once).
      name: 'board-page',
      description: `GET /api/v1/board?limit=${PAGE} (first page), gzip accepted`,
      prepare: async (url, token) => {
        await (await getJson(url, token, `/api/v1/board?limit=${PAGE}`)).arrayBuffer();
      },
      requests: [{ path: `/api/v1/board?limit=${PAGE}`, headers: GZIP }],
    },
    {
      // Clients resuming walks: any page, by the cursor the page before it gave.
      name: 'board-page-random',
      description: `GET /api/v1/board?limit=${PAGE}&cursor=… (a random page of a walk), gzip accepted`,
      prepare: async (url, token) => {
        pagePaths = await boardPagePaths(url, token);
      },
      requests: [
        {
          method: 'GET',
          setupRequest: (request) => ({
            ...request,
            path: pagePaths[Math.floor(Math.random() * pagePaths.length)],
            headers: { ...(request.headers as Record<string, string>), ...GZIP },
          }),
        },
      ],
    },
    {
      name: 'service-page',
      description:
        'the service page: GET service, stages, board?q=, releases for a random service (per call)',
      requests: [
        visit((s) => `/api/v1/services/${s}`, true),
        visit((s) => `/api/v1/stages?service=${s}`),
        visit((s) => `/api/v1/board?q=${s}`),
        visit((s) => `/api/v1/releases?service=${s}`),
      ],
    },
    {
      name: 'approvals-inbox',
      description: 'GET /api/v1/approvals?scope=pending (production deployments waiting for approval)',
      requests: [{ path: '/api/v1/approvals?scope=pending' }],
    },
    {
      // A dev stage (no upstream, no approvals) of a random service, its newest release, a fresh key.
      name: 'deployment-create',
      description: 'POST /api/v1/deployments to a random dev stage (new Idempotency-Key each)',
      requests: [
        {
          method: 'POST',
          setupRequest: (request) => {
            const i = randomService(size);
            return {
              ...request,
              path: '/api/v1/deployments',
              headers: {
                ...(request.headers as Record<string, string>),
                'content-type': 'application/json',
                'idempotency-key': randomUUID(),
              },
              body: JSON.stringify({
                stageId: seededId(`stage${i}-0`),
                releaseId: seededId(`rel${i}-${size.releasesPerService}`),
                reason: 'bench',
              }),
            };
          },
        },
      ],
    },
  ];
}

export async function runScenario(
  scenario: Scenario,
  options: { url: string; token: string; connections: number; durationSeconds: number },
): Promise<LoadResult> {
  const samples: number[] = [];
  const statuses: Record<string, number> = {};
  let bytes = 0;
  const result = await new Promise<Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.durationSeconds,
        // A slow answer is still an answer: counted with its latency rather than dropped as an error.
        timeout: 120,
        headers: { authorization: `Bearer ${options.token}` },
        requests: scenario.requests as never,
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on('response', (_client, statusCode, resBytes, ms) => {
      samples.push(ms);
      bytes += resBytes;
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    });
  });
  return {
    name: scenario.name,
    description: scenario.description,
    connections: options.connections,
    durationSeconds: options.durationSeconds,
    latency: summarise(samples),
    requestsPerSecond: Math.round((samples.length / result.duration) * 10) / 10,
    meanBytes: samples.length ? Math.round(bytes / samples.length) : 0,
    statuses,
    errors: result.errors + result.timeouts,
  };
}

// Waits until the server answers a cheap read within a second: what one endpoint's run left queued must
// not be billed to the next.
export async function drain(url: string, token: string): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    const started = performance.now();
    try {
      await (
        await fetch(`${url}/api/v1/environments`, { headers: { authorization: `Bearer ${token}` } })
      ).text();
    } catch {
      // Still busy or restarting: try again.
    }
    if (performance.now() - started < 1000) return;
  }
}
