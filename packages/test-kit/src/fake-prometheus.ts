import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A Prometheus-compatible HTTP API on loopback (GET /api/v1/query, instant queries, as Prometheus
// answers them), plus a health endpoint of the service being verified. Values are set by the test.
export interface FakePrometheus {
  readonly url: string;
  // The service's health endpoint, e.g. for an HTTP check: `${url}/healthz`.
  readonly healthUrl: string;
  // The value a query returns from now on; null answers an empty vector (no data).
  setMetric(query: string, value: number | null): void;
  // Answer every query with this HTTP status (e.g. 503) until cleared with null.
  failQueries(status: number | null): void;
  setHealth(status: number, body?: string): void;
  readonly queries: string[];
  readonly healthProbes: number;
  close(): Promise<void>;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export async function startFakePrometheus(): Promise<FakePrometheus> {
  const metrics = new Map<string, number | null>();
  const queries: string[] = [];
  let failing: number | null = null;
  let health = { status: 200, body: 'ok' };
  let healthProbes = 0;

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (req.method === 'GET' && url.pathname === '/healthz') {
      healthProbes++;
      res.writeHead(health.status, { 'content-type': 'text/plain' });
      res.end(health.body);
      return;
    }
    if (req.method === 'GET' && url.pathname === '/api/v1/query') {
      const query = url.searchParams.get('query');
      if (!query) {
        json(res, 400, { status: 'error', errorType: 'bad_data', error: 'parameter "query" is missing' });
        return;
      }
      queries.push(query);
      if (failing !== null) {
        json(res, failing, { status: 'error', errorType: 'unavailable', error: 'fake outage' });
        return;
      }
      const value = metrics.get(query);
      const now = Date.now() / 1000;
      json(res, 200, {
        status: 'success',
        data: {
          resultType: 'vector',
          result: value === undefined || value === null ? [] : [{ metric: {}, value: [now, String(value)] }],
        },
      });
      return;
    }
    json(res, 404, { status: 'error', errorType: 'not_found', error: 'no such endpoint' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    healthUrl: `${url}/healthz`,
    setMetric: (query, value) => void metrics.set(query, value),
    failQueries: (status) => {
      failing = status;
    },
    setHealth: (status, body = status < 400 ? 'ok' : 'unhealthy') => {
      health = { status, body };
    },
    queries,
    get healthProbes() {
      return healthProbes;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
