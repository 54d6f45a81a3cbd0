import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDatabase } from '@flightdeck/test-kit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('the SPA served from the API port', () => {
  let app: TestApp;
  let webDist: string;

  beforeAll(async () => {
    webDist = mkdtempSync(path.join(tmpdir(), 'flightdeck-web-'));
    mkdirSync(path.join(webDist, 'assets'));
    writeFileSync(
      path.join(webDist, 'index.html'),
      '<!doctype html><title>Flightdeck</title><div id="root"></div>',
    );
    writeFileSync(path.join(webDist, 'assets', 'index-abc123.js'), 'console.log("flightdeck")');
    app = await startTestApp({ env: { FLIGHTDECK_DEMO: 'false', FLIGHTDECK_WEB_DIST: webDist } });
  });

  afterAll(async () => {
    await app?.close();
    rmSync(webDist, { recursive: true, force: true });
  });

  it('serves index.html for the root and for client routes, never cached', async () => {
    for (const route of ['/', '/services/checkout-api', '/deployments/42?tab=events']) {
      const response = await app.get<string>(route);
      expect(response.status, route).toBe(200);
      expect(response.body).toContain('<div id="root">');
      expect(response.headers.get('cache-control')).toBe('no-cache');
    }
  });

  it('serves fingerprinted assets with a long cache life', async () => {
    const response = await app.get<string>('/assets/index-abc123.js');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('javascript');
    expect(response.headers.get('cache-control')).toContain('immutable');
  });

  it('keeps API paths and missing files as JSON 404s', async () => {
    for (const route of ['/api/v1/unknown', '/api', '/assets/missing.js', '/health/nope']) {
      const response = await app.get<{ code: string }>(route);
      expect(response.status, route).toBe(404);
      expect(response.body.code, route).toBe('ROUTE_NOT_FOUND');
    }
  });
});

describe('restarts and outages', () => {
  it('keeps its data across a restart and does not seed twice', async () => {
    const db = await createTestDatabase();
    try {
      const first = await startTestApp({ db });
      const before = await first.get<{ items: { id: string }[] }>('/api/v1/services?limit=200');
      await first.close();
      const second = await startTestApp({ db });
      const after = await second.get<{ items: { id: string }[] }>('/api/v1/services?limit=200');
      expect(second.logs.some((line) => line.includes('demo data already present'))).toBe(true);
      await second.close();
      expect(after.body.items.map((s) => s.id)).toEqual(before.body.items.map((s) => s.id));
      expect(before.body.items).toHaveLength(8);
    } finally {
      await db.drop();
    }
  });

  it('applies migrations at start-up unless told not to', async () => {
    const db = await createTestDatabase({ empty: true });
    try {
      const app = await startTestApp({
        db,
        env: { FLIGHTDECK_MIGRATE_ON_START: 'true', FLIGHTDECK_DEMO: 'false' },
      });
      expect(app.logs.some((line) => line.includes('migrations applied'))).toBe(true);
      expect((await app.get('/api/v1/board')).status).toBe(200);
      await app.close();
    } finally {
      await db.drop();
    }
  });

  it('turns readiness red and answers a bare 500 when the database goes away', async () => {
    const db = await createTestDatabase();
    const app = await startTestApp({ db, env: { FLIGHTDECK_DEMO: 'false' } });
    try {
      const name = new URL(db.url).pathname.slice(1);
      const admin = new pg.Client({ connectionString: db.url.replace(`/${name}`, '/postgres') });
      await admin.connect();
      await admin.query(`DROP DATABASE "${name}" WITH (FORCE)`);
      await admin.end();

      const ready = await app.get<{
        code: string;
        message: string;
        details: { error: Record<string, { status: string }> };
      }>('/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE', message: 'Not ready: database down' });
      expect(ready.body.details.error.database!.status).toBe('down');
      expect((await app.get('/health/live')).status).toBe(200);

      const board = await app.get<{ code: string; message: string }>('/api/v1/board');
      expect(board.status).toBe(500);
      expect(board.body).toEqual({ code: 'INTERNAL', message: 'Internal error' });
      expect(app.logs.join('\n')).not.toMatch(/\n\s+at |"stack"/);
      expect(app.logs.some((line) => line.includes('unhandled error'))).toBe(true);
    } finally {
      await app.close();
      await db.drop();
    }
  });
});
