import { type EndpointDef, endpointList, ROLES, type Role, roleAllows } from '@flightdeck/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRoutes } from '../../src/common/route-inventory.js';
import { routeAccess } from '../../src/identity/access.guard.js';
import type { HttpClient } from '../support/http-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
const clients = new Map<Role, HttpClient>();

beforeAll(async () => {
  app = await startTestApp({ env: { FLIGHTDECK_DEMO: 'false' } });
  for (const role of ROLES) clients.set(role, await app.userWith(role));
});

afterAll(async () => {
  await app?.close();
});

// Values that pass the path's shape checks but name nothing, so allowed calls answer 4xx without effect.
function samplePath(def: EndpointDef): string {
  return def.path
    .replace('{id}', '00000000-0000-4000-8000-000000000000')
    .replace('{userId}', '00000000-0000-4000-8000-000000000000')
    .replace('{slug}', 'no-such-thing');
}

async function call(client: HttpClient, def: EndpointDef) {
  if (def.contentType === 'text/event-stream') {
    // A stream never ends: take the status and the error body, if any, then hang up.
    const controller = new AbortController();
    const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await fetch(client.baseUrl + samplePath(def), {
      headers: cookie ? { cookie } : {},
      signal: controller.signal,
    });
    const body: unknown = response.ok ? null : await response.json();
    controller.abort();
    return { status: response.status, body };
  }
  // An empty body: a permitted caller gets a 400, never a change.
  return client.request(def.method, samplePath(def), def.body ? { body: {} } : {});
}

describe('every route declares who may call it', () => {
  it('has an access rule on each route the app serves', () => {
    const missing = listRoutes(app.server.app)
      .filter((route) => !routeAccess(route.handlerRef))
      .map((route) => `${route.method} ${route.path}`);
    expect(missing).toEqual([]);
  });
});

// Routes whose caller proves itself by signing the body (GitHub's webhook secret), not by a session or token.
const SIGNATURE_AUTHENTICATED = new Set(['githubWebhook']);

describe('route × role matrix', () => {
  const protectedEndpoints = endpointList.filter((def) => def.access !== 'public');

  it.each(protectedEndpoints.map((def) => [def.id, def] as const))(
    '%s refuses anonymous callers with 401',
    async (_, def) => {
      const { status, body } = await call(app.anonymous, def);
      expect(status).toBe(401);
      expect(body).toMatchObject({ code: 'UNAUTHENTICATED' });
    },
  );

  const cases = endpointList.flatMap((def) => ROLES.map((role) => [def.id, role, def] as const));
  it.each(cases)('%s as %s', async (_, role, def) => {
    const client = clients.get(role)!;
    const { status, body } = await call(client, def);
    const allowed = def.access === 'public' || def.access === 'authenticated' || roleAllows(role, def.access);
    if (SIGNATURE_AUTHENTICATED.has(def.id)) {
      // Public to sessions, authenticated by the sender's signature instead: a session is no substitute.
      expect(status, `${def.id} as ${role}`).toBe(401);
      expect(body).toMatchObject({ code: 'INVALID_SIGNATURE' });
    } else if (allowed) {
      expect([401, 403], `${def.id} as ${role}: ${JSON.stringify(body)}`).not.toContain(status);
    } else {
      expect(status, `${def.id} as ${role}`).toBe(403);
      expect(body).toMatchObject({ code: 'FORBIDDEN', details: { permission: def.access } });
    }
    // Signing out ends this client's session: sign in again for the rows that follow.
    if (def.id === 'logout' && allowed) {
      const fresh = await app.userWith(role);
      clients.set(role, fresh);
    }
  });
});
