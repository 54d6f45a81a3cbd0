import {
  type Board,
  boardSchema,
  deploymentDetailSchema,
  deploymentSchema,
  endpointList,
  endpoints,
  environmentSchema,
  instanceInfoSchema,
  listOf,
  pageOf,
  releaseSchema,
  serviceSchema,
  stageSchema,
} from '@flightdeck/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DemoSeeder } from '../../src/demo/demo-seeder.js';
import { DEMO_SERVICES } from '../../src/demo/demo-catalog.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});

afterAll(async () => {
  await app?.close();
});

async function getAll<T>(path: string, item: z.ZodType<T>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const { status, body } = await app.get<unknown>(`${path}${cursor ? `${separator}cursor=${cursor}` : ''}`);
    expect(status).toBe(200);
    const page = pageOf(item).parse(body);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

describe('promotion board', () => {
  let board: Board;

  beforeAll(async () => {
    const { status, body } = await app.get('/api/v1/board');
    expect(status).toBe(200);
    board = boardSchema.parse(body);
  });

  it('shows every demo service over the environments in promotion order', () => {
    expect(board.environments.map((e) => e.slug)).toEqual(['preview', 'dev', 'staging', 'production']);
    expect(board.rows.map((row) => row.service.slug).sort()).toEqual(DEMO_SERVICES.map((s) => s.slug).sort());
    const checkout = board.rows.find((row) => row.service.slug === 'checkout-api')!;
    expect(Object.keys(checkout.cells)).toHaveLength(4);
    const payments = board.rows.find((row) => row.service.slug === 'payments-service')!;
    expect(Object.keys(payments.cells)).toHaveLength(3);
  });

  it('reports for each cell the release of the deployment that succeeded last', async () => {
    const production = board.environments.find((e) => e.slug === 'production')!;
    for (const row of board.rows) {
      const cell = row.cells[production.id]!;
      const { body } = await app.get<unknown>(
        `/api/v1/deployments?service=${row.service.slug}&environment=production&status=succeeded&limit=200`,
      );
      const succeeded = pageOf(deploymentSchema).parse(body).items;
      const latest = succeeded.sort((a, b) => (b.finishedAt ?? '').localeCompare(a.finishedAt ?? ''))[0];
      expect(cell.current?.id ?? null).toBe(latest?.release.id ?? null);
      expect(cell.deployedAt).toBe(latest?.finishedAt ?? null);
      expect(cell.driverKind).toBe('sandbox');
    }
  });

  it('marks newer releases that wait upstream, a lock and a degraded stage', () => {
    const cells = board.rows.flatMap((row) => Object.values(row.cells));
    const waiting = cells.filter((cell) => cell.waiting);
    expect(waiting.length).toBeGreaterThan(0);
    for (const cell of waiting) {
      expect(cell.waiting!.id).not.toBe(cell.current?.id);
      if (cell.current) expect(cell.waiting!.createdAt > cell.current.createdAt).toBe(true);
    }
    const payments = board.rows.find((row) => row.service.slug === 'payments-service')!;
    const production = board.environments.find((e) => e.slug === 'production')!;
    expect(payments.cells[production.id]!.lock).toMatchObject({ by: 'maria.k' });
    expect(
      cells.some((cell) => cell.health === 'degraded' && cell.healthMessage.startsWith('sandbox:')),
    ).toBe(true);
    expect(cells.some((cell) => cell.lastDeployment?.status === 'failed')).toBe(true);
  });

  it('filters by team and by text', async () => {
    const byTeam = boardSchema.parse((await app.get('/api/v1/board?team=payments')).body);
    expect(byTeam.rows.map((r) => r.service.slug).sort()).toEqual(['fraud-scoring', 'payments-service']);
    const byText = boardSchema.parse((await app.get('/api/v1/board?q=CHECKOUT')).body);
    expect(byText.rows.map((r) => r.service.slug)).toEqual(['checkout-api']);
    // LIKE wildcards in the text are literal characters, not patterns.
    expect(boardSchema.parse((await app.get('/api/v1/board?q=%25')).body).rows).toEqual([]);
    expect(boardSchema.parse((await app.get('/api/v1/board?q=_')).body).rows).toEqual([]);
  });
});

describe('read endpoints', () => {
  it('answer every parameterless endpoint with a body that matches its contract', async () => {
    for (const endpoint of endpointList.filter(
      (e) => e.method === 'GET' && !e.path.includes('{') && !e.status && !e.contentType,
    )) {
      const { status, body } = await app.get(endpoint.path);
      expect(status, endpoint.id).toBe(200);
      expect(() => endpoint.response.parse(body), endpoint.id).not.toThrow();
    }
  });

  it('pages through services and deployments with cursors, without gaps or repeats', async () => {
    const services = await getAll('/api/v1/services?limit=3', serviceSchema);
    expect(services).toHaveLength(DEMO_SERVICES.length);
    expect(new Set(services.map((s) => s.id)).size).toBe(services.length);

    const deployments = await getAll('/api/v1/deployments?limit=37', deploymentSchema);
    const all = await getAll('/api/v1/deployments?limit=200', deploymentSchema);
    expect(deployments.map((d) => d.id)).toEqual(all.map((d) => d.id));
    expect(new Set(all.map((d) => d.id)).size).toBe(all.length);
    const created = all.map((d) => d.createdAt);
    expect([...created].sort().reverse()).toEqual(created);
  });

  it('filters deployments by service, environment and status', async () => {
    const failed = await getAll('/api/v1/deployments?status=failed,cancelled&limit=200', deploymentSchema);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((d) => d.status === 'failed' && d.error)).toBe(true);
    const staging = await getAll(
      '/api/v1/deployments?service=catalog-search&environment=staging',
      deploymentSchema,
    );
    expect(staging.every((d) => d.serviceSlug === 'catalog-search' && d.environmentSlug === 'staging')).toBe(
      true,
    );
  });

  it('returns one service, one release and one deployment with its event log', async () => {
    const service = serviceSchema.parse((await app.get('/api/v1/services/checkout-api')).body);
    expect(service).toMatchObject({
      slug: 'checkout-api',
      repository: { owner: 'acme', name: 'checkout-api' },
    });

    const [release] = pageOf(releaseSchema).parse(
      (await app.get('/api/v1/releases?service=checkout-api&limit=1')).body,
    ).items;
    expect(releaseSchema.parse((await app.get(`/api/v1/releases/${release!.id}`)).body)).toEqual(release);

    const [deployment] = pageOf(deploymentSchema).parse(
      (await app.get('/api/v1/deployments?limit=1')).body,
    ).items;
    const detail = deploymentDetailSchema.parse(
      (await app.get(`/api/v1/deployments/${deployment!.id}`)).body,
    );
    expect(detail.events[0]).toMatchObject({ fromStatus: null, toStatus: 'pending' });
    expect(detail.events.at(-1)!.toStatus).toBe(detail.status);
  });

  it('lists environments, stages with their upstreams, and instance info', async () => {
    const environments = listOf(environmentSchema).parse((await app.get('/api/v1/environments')).body).items;
    expect(environments.map((e) => e.tier)).toEqual(['development', 'development', 'staging', 'production']);
    const stages = listOf(stageSchema).parse(
      (await app.get('/api/v1/stages?service=payments-service')).body,
    ).items;
    expect(stages.map((s) => s.environmentSlug)).toEqual(['dev', 'staging', 'production']);
    expect(stages[0]!.upstreamStageIds).toEqual([]);
    expect(stages[2]!.upstreamStageIds).toEqual([stages[1]!.id]);
    const info = instanceInfoSchema.parse((await app.get('/api/v1/instance')).body);
    expect(info).toMatchObject({ name: 'Flightdeck', database: 'external', demo: true });
  });

  it('seeds demo data only once', async () => {
    const before = await getAll('/api/v1/deployments?limit=200', deploymentSchema);
    const result = await app.server.app.get(DemoSeeder).seed();
    expect(result).toEqual({ created: 0, skipped: DEMO_SERVICES.length });
    const after = await getAll('/api/v1/deployments?limit=200', deploymentSchema);
    expect(after.map((d) => d.id)).toEqual(before.map((d) => d.id));
  });
});

describe('bad input', () => {
  const cases: Array<[string, string, string]> = [
    ['/api/v1/deployments?limit=0', 'INVALID_QUERY', 'limit'],
    ['/api/v1/deployments?limit=abc', 'INVALID_QUERY', 'limit'],
    ['/api/v1/deployments?limit=500', 'INVALID_QUERY', 'limit'],
    ['/api/v1/deployments?status=exploded', 'INVALID_QUERY', 'status'],
    ['/api/v1/deployments?cursor=not-a-cursor', 'INVALID_QUERY', 'cursor'],
    ['/api/v1/releases?service=Not_A_Slug', 'INVALID_QUERY', 'service'],
    ['/api/v1/releases/12345', 'INVALID_PATH_PARAMETER', 'id'],
    ['/api/v1/deployments/not-a-uuid', 'INVALID_PATH_PARAMETER', 'id'],
  ];

  it.each(cases)('%s → 400 %s naming %s', async (path, code, field) => {
    const { status, body } = await app.get<{
      code: string;
      message: string;
      details: { issues: { field: string }[] };
    }>(path);
    expect(status).toBe(400);
    expect(body.code).toBe(code);
    expect(body.message).toContain(field);
    expect(body.details.issues[0]!.field).toBe(field);
  });

  it('answers unknown things with 404 and a stable code', async () => {
    expect((await app.get('/api/v1/services/no-such-service')).body).toMatchObject({
      code: 'SERVICE_NOT_FOUND',
    });
    expect((await app.get('/api/v1/deployments?service=ghost')).body).toMatchObject({
      code: 'SERVICE_NOT_FOUND',
    });
    expect((await app.get('/api/v1/releases/00000000-0000-4000-8000-000000000000')).body).toMatchObject({
      code: 'RELEASE_NOT_FOUND',
    });
    const unknown = await app.get<{ code: string }>('/api/v1/no-such-route');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/json');
    expect(unknown.body.code).toBe('ROUTE_NOT_FOUND');
  });

  it('never leaks a stack trace, in responses or logs', async () => {
    for (const [path] of cases) {
      const { body } = await app.get(path);
      expect(JSON.stringify(body)).not.toMatch(/\bat \S+ \(|\.ts:\d+|node_modules/);
    }
    expect(app.logs.join('\n')).not.toMatch(/\n\s+at |"stack"/);
  });
});

describe('operations endpoints', () => {
  it('reports liveness, readiness with the database, and Prometheus metrics', async () => {
    expect((await app.get('/health/live')).body).toEqual({ status: 'ok' });
    const ready = await app.get<{ status: string; info: Record<string, { status: string }> }>(
      '/health/ready',
    );
    expect(ready.status).toBe(200);
    expect(ready.body.info.database!.status).toBe('up');
    await app.get('/api/v1/board');
    const metrics = await app.get<string>('/metrics');
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    expect(metrics.body).toMatch(
      /flightdeck_http_request_duration_seconds_bucket\{le="[^"]+",method="GET",route="\/api\/v1\/board",status_code="200"\}/,
    );
  });

  it('echoes a sane caller request id and makes one up otherwise', async () => {
    const given = await app.get('/health/live', { headers: { 'x-request-id': 'trace-123' } });
    expect(given.headers.get('x-request-id')).toBe('trace-123');
    const made = await app.get('/health/live', { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves the OpenAPI document and its UI', async () => {
    const doc = await app.get<{ openapi: string; paths: Record<string, unknown> }>('/api/v1/openapi.json');
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(endpointList.map((e) => e.path)));
    const ui = await app.get<string>('/api/docs');
    expect(ui.body).toContain('swagger-ui');
    const asset = await fetch(`${app.url}/api/docs/assets/swagger-ui-bundle.js`);
    expect(asset.status).toBe(200);
    void endpoints;
  });
});
