import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

// The raw bytes of one response (no decompression), signed in as the admin, with the request headers
// given and nothing else.
export function rawGet(
  app: TestApp,
  path: string,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  const cookie = [...app.admin.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${app.url}${path}`, { headers: { cookie, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

// Full boards this replica built, whatever became of them (from its Prometheus metrics).
export async function builds(app: TestApp): Promise<number> {
  const text = (await app.get<string>('/metrics')).body;
  return [...text.matchAll(/^flightdeck_board_builds_total\{[^}]*\} (\d+)/gm)].reduce(
    (sum, match) => sum + Number(match[1]),
    0,
  );
}

// Two replicas on one database, as behind a load balancer, started before the file's tests and closed
// after them. The runner is off on both so that nothing but the test writes: every board change is
// one the test made.
export function useReplicas(set: (replicas: { a: TestApp; b: TestApp }) => void): void {
  let a: TestApp | undefined;
  let b: TestApp | undefined;
  beforeAll(async () => {
    const quiet = { FLIGHTDECK_RUNNER: 'false' };
    a = await startTestApp({ env: quiet });
    b = await startTestApp({ db: a.db, env: { ...quiet, FLIGHTDECK_DEMO: 'false' } });
    set({ a, b });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });
}
