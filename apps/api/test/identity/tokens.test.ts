import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../support/http-client.js';
import { sql as sqlAt } from '../support/sql.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
let lockPath: string;

beforeAll(async () => {
  app = await startTestApp();
  const stages = (await app.get<{ items: { id: string }[] }>('/api/v1/stages?service=checkout-api')).body
    .items;
  lockPath = `/api/v1/stages/${stages[0]!.id}/lock`;
});

afterAll(async () => {
  await app?.close();
});

const sql = (query: string, values: unknown[] = []) => sqlAt(app.db.url, query, values);

type Created = { id: string; token: string; prefix: string; scopes: string[]; expiresAt: string | null };

describe('API tokens', () => {
  it('shows the secret once, stores only its hash and never lists it again', async () => {
    const created = await app.admin.post<Created>('/api/v1/me/tokens', {
      name: 'release pipeline',
      scopes: ['deploy'],
    });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^fdt_[A-Za-z0-9_-]{43}$/);
    expect(created.body.token.startsWith(created.body.prefix)).toBe(true);
    expect(new Date(created.body.expiresAt!).getTime()).toBeGreaterThan(Date.now() + 89 * 86_400_000);

    const listed = await app.admin.get<{ items: Record<string, unknown>[] }>('/api/v1/me/tokens');
    expect(JSON.stringify(listed.body)).not.toContain(created.body.token);
    const rows = await sql(`SELECT * FROM api_tokens WHERE id = $1`, [created.body.id]);
    expect(JSON.stringify(rows)).not.toContain(created.body.token);
  });

  it('lets a token do what its scopes allow and no more, without CSRF, and records its last use', async () => {
    const read = await app.admin.post<Created>('/api/v1/me/tokens', { name: 'dashboards', scopes: ['read'] });
    const reader = new HttpClient(app.url, { bearer: read.body.token });
    expect((await reader.get('/api/v1/board')).status).toBe(200);
    const refused = await reader.put(lockPath, { reason: 'read tokens cannot lock' });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'FORBIDDEN' });
    expect((refused.body as { message: string }).message).toContain("token's scopes (read)");

    const deploy = await app.admin.post<Created>('/api/v1/me/tokens', { name: 'ci', scopes: ['deploy'] });
    const ci = new HttpClient(app.url, { bearer: deploy.body.token, sendOrigin: false });
    expect((await ci.put(lockPath, { reason: 'ci holds the stage' })).status).toBe(200);
    expect((await ci.delete(lockPath)).status).toBe(200);
    expect((await ci.get('/api/v1/users')).status).toBe(403);

    const [row] = await sql(`SELECT last_used_at, last_used_ip FROM api_tokens WHERE id = $1`, [
      deploy.body.id,
    ]);
    expect(row!.last_used_at).not.toBeNull();
    expect(row!.last_used_ip).toMatch(/127\.0\.0\.1/);
    const audit = await sql(`SELECT actor_type, action FROM audit_events WHERE actor_id = $1 ORDER BY id`, [
      deploy.body.id,
    ]);
    expect(audit).toEqual([
      { actor_type: 'token', action: 'stage.lock' },
      { actor_type: 'token', action: 'stage.unlock' },
      { actor_type: 'token', action: 'access.denied' },
    ]);
  });

  it('stops working once revoked or expired, or when its owner is disabled', async () => {
    const revoked = await app.admin.post<Created>('/api/v1/me/tokens', {
      name: 'short-lived',
      scopes: ['read'],
    });
    expect((await app.admin.delete(`/api/v1/me/tokens/${revoked.body.id}`)).status).toBe(200);
    const afterRevoke = await new HttpClient(app.url, { bearer: revoked.body.token }).get('/api/v1/board');
    expect(afterRevoke.status).toBe(401);
    expect(afterRevoke.body).toMatchObject({ code: 'INVALID_TOKEN' });

    const expiring = await app.admin.post<Created>('/api/v1/me/tokens', {
      name: 'expiring',
      scopes: ['read'],
      expiresInDays: 1,
    });
    await sql(`UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      expiring.body.id,
    ]);
    expect((await new HttpClient(app.url, { bearer: expiring.body.token }).get('/api/v1/board')).status).toBe(
      401,
    );

    const owner = await app.userWith('deployer');
    const own = await owner.post<Created>('/api/v1/me/tokens', { name: 'mine', scopes: ['deploy'] });
    const ownerId = (await owner.get<{ id: string }>('/api/v1/me')).body.id;
    await app.admin.patch(`/api/v1/users/${ownerId}`, { disabled: true });
    expect((await new HttpClient(app.url, { bearer: own.body.token }).get('/api/v1/board')).status).toBe(401);
  });

  it('refuses scopes beyond the owner role, and malformed requests by field', async () => {
    const viewer = await app.userWith('viewer');
    const tooWide = await viewer.post('/api/v1/me/tokens', { name: 'sneaky', scopes: ['deploy'] });
    expect(tooWide.status).toBe(400);
    expect(tooWide.body).toMatchObject({ code: 'SCOPE_NOT_ALLOWED' });
    const bad = await app.admin.post('/api/v1/me/tokens', { name: 'x', scopes: [] });
    expect(bad.body).toMatchObject({ code: 'INVALID_BODY', details: { issues: [{ field: 'scopes' }] } });
    const garbage = await new HttpClient(app.url, { bearer: 'fdt_not-a-real-token' }).get('/api/v1/board');
    expect(garbage.body).toMatchObject({ code: 'INVALID_TOKEN' });
  });

  it('cannot revoke somebody else’s token', async () => {
    const mine = await app.admin.post<Created>('/api/v1/me/tokens', { name: 'admin only', scopes: ['read'] });
    const other = await app.userWith('approver');
    expect((await other.delete(`/api/v1/me/tokens/${mine.body.id}`)).status).toBe(404);
    expect((await new HttpClient(app.url, { bearer: mine.body.token }).get('/api/v1/board')).status).toBe(
      200,
    );
  });
});
