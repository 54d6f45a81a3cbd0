import { releaseSchema } from '@flightdeck/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../support/http-client.js';
import { sql } from '../support/sql.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
let ci: HttpClient;

beforeAll(async () => {
  app = await startTestApp();
  const token = await app.admin.post<{ token: string }>('/api/v1/me/tokens', {
    name: 'ci',
    scopes: ['deploy'],
  });
  ci = new HttpClient(app.url, { bearer: token.body.token, sendOrigin: false });
});

afterAll(async () => {
  await app?.close();
});

const sha = (n: number) => n.toString(16).padStart(40, 'a');
const release = (version: string, extra: Record<string, unknown> = {}) => ({
  service: 'checkout-api',
  version,
  commitSha: sha(1),
  notes: 'Faster checkout',
  ...extra,
});

describe('releases from CI', () => {
  it('registers a release with an API token, lists it and writes it to the ledger', async () => {
    const created = await ci.post(
      '/api/v1/releases',
      release('v9.0.0', { artifactRef: 'ghcr.io/acme/checkout:9.0.0' }),
    );
    expect(created.status).toBe(201);
    const body = releaseSchema.parse(created.body);
    expect(body).toMatchObject({
      serviceSlug: 'checkout-api',
      version: 'v9.0.0',
      source: 'api',
      commitSha: sha(1),
    });
    const listed = await app.admin.get<{ items: { id: string }[] }>(
      '/api/v1/releases?service=checkout-api&limit=1',
    );
    expect(listed.body.items[0]!.id).toBe(body.id);
    const [event] = await sql(
      app.db.url,
      `SELECT actor_type, action FROM audit_events WHERE target_id = $1`,
      [body.id],
    );
    expect(event).toEqual({ actor_type: 'token', action: 'release.create' });
  });

  it('answers the identical release again with 200 and the same id, and refuses a changed one with 409', async () => {
    const first = await ci.post<{ id: string }>('/api/v1/releases', release('v9.1.0'));
    const again = await ci.post<{ id: string }>(
      '/api/v1/releases',
      release('v9.1.0', { commitSha: sha(1).toUpperCase() }),
    );
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.body.id).toBe(first.body.id);
    const changed = await ci.post<{ code: string; details: { differs: string[] } }>(
      '/api/v1/releases',
      release('v9.1.0', { commitSha: sha(2), notes: 'something else' }),
    );
    expect(changed.status).toBe(409);
    expect(changed.body.code).toBe('RELEASE_CONFLICT');
    expect(changed.body.details.differs).toEqual(['commitSha', 'notes']);
  });

  it('makes exactly one release when twenty identical pushes race', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, () => ci.post<{ id: string }>('/api/v1/releases', release('v9.2.0'))),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 200)).toHaveLength(19);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    const rows = await sql(app.db.url, `SELECT count(*)::int AS n FROM releases WHERE version = 'v9.2.0'`);
    expect(rows[0]!.n).toBe(1);
  });

  it('names each invalid field, and an unknown service', async () => {
    const bad = await ci.post<{ code: string; details: { issues: { field: string }[] } }>(
      '/api/v1/releases',
      {
        service: 'checkout-api',
        version: 'has spaces',
        commitSha: 'not-hex',
      },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.details.issues.map((i) => i.field).sort()).toEqual(['commitSha', 'version']);
    const unknown = await ci.post('/api/v1/releases', release('v1', { service: 'ghost' }));
    expect(unknown.body).toMatchObject({ code: 'SERVICE_NOT_FOUND' });
    const malformed = await ci.request('POST', '/api/v1/releases', {
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
  });

  it('keeps a team-scoped deployer and read-only tokens to what they may do', async () => {
    const payments = await app.userWith('viewer', { teams: [{ slug: 'payments', role: 'deployer' }] });
    expect(
      (await payments.post('/api/v1/releases', release('v1.0.0', { service: 'payments-service' }))).status,
    ).toBe(201);
    expect((await payments.post('/api/v1/releases', release('v9.3.0'))).status).toBe(403);
    const read = await app.admin.post<{ token: string }>('/api/v1/me/tokens', {
      name: 'read',
      scopes: ['read'],
    });
    const reader = new HttpClient(app.url, { bearer: read.body.token });
    expect((await reader.post('/api/v1/releases', release('v9.4.0'))).status).toBe(403);
  });
});

describe('Idempotency-Key', () => {
  it('gives the same answer to the same key and request, even after the world changed', async () => {
    const key = { headers: { 'idempotency-key': 'build-4711' } };
    const first = await ci.post<{ id: string }>('/api/v1/releases', release('v9.5.0'), key);
    const replay = await ci.post<{ id: string }>('/api/v1/releases', release('v9.5.0'), key);
    expect(first.status).toBe(201);
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(first.body);
  });

  it('refuses the same key with another request (422) and keeps keys apart per caller', async () => {
    const key = { headers: { 'idempotency-key': 'build-4712' } };
    await ci.post('/api/v1/releases', release('v9.6.0'), key);
    const reused = await ci.post('/api/v1/releases', release('v9.6.1'), key);
    expect(reused.status).toBe(422);
    expect(reused.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    // Another person may use the same key string for their own request.
    const someoneElse = await app.userWith('deployer');
    const other = await someoneElse.post('/api/v1/releases', release('v9.6.2'), key);
    expect(other.status).toBe(201);
    const bad = await ci.post('/api/v1/releases', release('v9.6.3'), {
      headers: { 'idempotency-key': 'x'.repeat(201) },
    });
    expect(bad.body).toMatchObject({ code: 'INVALID_IDEMPOTENCY_KEY' });
  });

  it('runs a create once when retries with one key arrive together', async () => {
    const key = { headers: { 'idempotency-key': 'retry-storm' } };
    const results = await Promise.all(
      Array.from({ length: 10 }, () => ci.post<{ id: string }>('/api/v1/releases', release('v9.7.0'), key)),
    );
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(results.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(9);
    const audit = await sql(app.db.url, `SELECT count(*)::int AS n FROM audit_events WHERE target_id = $1`, [
      results[0]!.body.id,
    ]);
    expect(audit[0]!.n).toBe(1);
  });
});
