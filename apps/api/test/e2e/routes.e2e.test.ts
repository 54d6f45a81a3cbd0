import { endpointList, toRouterPath } from '@flightdeck/contracts';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRoutes } from '../../src/common/route-inventory.js';
import { createOpenApiDocument } from '../../src/openapi/openapi-document.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// Infrastructure routes that are not part of the versioned API contract.
const OUTSIDE_CONTRACT = [
  'GET /health/live',
  'GET /health/ready',
  'GET /metrics',
  'GET /api/v1/openapi.json',
  'GET /api/docs',
  'GET /api/docs/init.js',
];

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ env: { FLIGHTDECK_DEMO: 'false' } });
});

afterAll(async () => {
  await app?.close();
});

describe('routes and the contract', () => {
  it('serves each contract endpoint from exactly one route, and nothing else under /api/v1', () => {
    const routes = listRoutes(app.server.app);
    const bound = routes.filter((route) => route.endpoint);
    expect(bound.map((route) => route.endpoint!.id).sort()).toEqual(endpointList.map((e) => e.id).sort());
    for (const route of bound) {
      expect(`${route.method} ${route.path}`).toBe(
        `${route.endpoint!.method} ${toRouterPath(route.endpoint!.path)}`,
      );
    }
    const unbound = routes.filter((route) => !route.endpoint).map((route) => `${route.method} ${route.path}`);
    expect(unbound.sort()).toEqual([...OUTSIDE_CONTRACT].sort());
  });

  it('has a committed OpenAPI document that matches the contract (run `pnpm openapi:write` after changing it)', () => {
    const committed = readFileSync(
      path.resolve(import.meta.dirname, '../../../../packages/contracts/openapi.json'),
      'utf8',
    );
    const current = createOpenApiDocument();
    expect(JSON.parse(committed) as unknown).toEqual({
      ...current,
      info: { ...(current.info as object), version: expect.any(String) as unknown },
    });
  });
});
