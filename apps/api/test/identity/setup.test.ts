import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { authStateSchema } from '@flightdeck/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../support/http-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
let tokenFile: string;

beforeAll(async () => {
  // No first admin in the configuration: the setup screen's path.
  app = await startTestApp({
    env: { FLIGHTDECK_ADMIN_EMAIL: '', FLIGHTDECK_ADMIN_PASSWORD: '', FLIGHTDECK_DEMO: 'false' },
  });
  const line = app.logs.find((l) => l.includes('no users yet'))!;
  tokenFile = (JSON.parse(line) as { setupTokenFile: string }).setupTokenFile;
});

afterAll(async () => {
  await app?.close();
});

const setupBody = (setupToken: string, email: string) => ({
  setupToken,
  email,
  name: 'First Admin',
  password: 'the very first password',
});

describe('first run', () => {
  it('asks for setup, with a token kept only in the data directory', async () => {
    const state = authStateSchema.parse((await app.anonymous.get('/api/v1/auth/session')).body);
    expect(state).toMatchObject({ user: null, setupRequired: true });
    expect(path.basename(tokenFile)).toBe('setup-token');
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    expect(app.logs.join('\n')).not.toContain(readFileSync(tokenFile, 'utf8').trim());
    expect((await app.anonymous.get('/api/v1/board')).status).toBe(401);
  });

  it('refuses a wrong setup token and a weak password', async () => {
    const wrong = await app.anonymous.post('/api/v1/setup', setupBody('guess', 'admin@example.com'));
    expect(wrong.status).toBe(403);
    expect(wrong.body).toMatchObject({ code: 'INVALID_SETUP_TOKEN' });
    const weak = await app.anonymous.post('/api/v1/setup', {
      ...setupBody('x', 'admin@example.com'),
      password: 'short',
    });
    expect(weak.body).toMatchObject({ code: 'INVALID_BODY', details: { issues: [{ field: 'password' }] } });
  });

  it('creates exactly one first admin when two setup forms race, then closes setup', async () => {
    const token = readFileSync(tokenFile, 'utf8').trim();
    const [a, b] = [new HttpClient(app.url), new HttpClient(app.url)];
    const results = await Promise.all([
      a.post('/api/v1/setup', setupBody(token, 'first@example.com')),
      b.post('/api/v1/setup', setupBody(token, 'second@example.com')),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    const winner = results[0].status === 201 ? a : b;
    const me = await winner.get<{ role: string }>('/api/v1/me');
    expect(me.body.role).toBe('admin');
    expect(existsSync(tokenFile)).toBe(false);
    const again = await app.anonymous.post('/api/v1/setup', setupBody(token, 'third@example.com'));
    expect(again.status).toBe(409);
    const state = authStateSchema.parse((await app.anonymous.get('/api/v1/auth/session')).body);
    expect(state.setupRequired).toBe(false);
  });
});
