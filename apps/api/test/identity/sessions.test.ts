import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../support/http-client.js';
import { sql as sqlAt } from '../support/sql.js';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  startTestApp,
  type TestApp,
  USER_PASSWORD,
} from '../support/test-app.js';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ env: { FLIGHTDECK_SESSION_IDLE_MINUTES: '30' } });
});

afterAll(async () => {
  await app?.close();
});

const sql = (query: string, values: unknown[] = []) => sqlAt(app.db.url, query, values);

const sessionCookie = (client: HttpClient) => client.cookies.get('flightdeck_session');

describe('sessions', () => {
  it('sets an HttpOnly, SameSite cookie and rotates it on every sign-in', async () => {
    const client = new HttpClient(app.url);
    const first = await client.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
    const setCookie = first.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^flightdeck_session=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).toMatch(/Path=\//);
    const before = sessionCookie(client)!;

    await client.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
    expect(sessionCookie(client)).not.toBe(before);
    // The session from before the second sign-in is gone.
    const stale = new HttpClient(app.url);
    stale.cookies.set('flightdeck_session', before);
    expect((await stale.get('/api/v1/me')).status).toBe(401);
    expect((await client.get('/api/v1/me')).status).toBe(200);
  });

  it('uses a __Host- Secure cookie behind TLS', async () => {
    const tls = await startTestApp({
      env: { FLIGHTDECK_PUBLIC_URL: 'https://deploy.example.com', FLIGHTDECK_DEMO: 'false' },
    });
    try {
      const client = new HttpClient(tls.url, { sendOrigin: false });
      const response = await client.post('/api/v1/auth/login', {
        email: ADMIN_EMAIL,
        password: ADMIN_PASSWORD,
      });
      expect(response.headers.get('set-cookie')).toMatch(
        /^__Host-flightdeck_session=.*; Path=\/;.*HttpOnly; Secure; SameSite=Lax/,
      );
    } finally {
      await tls.close();
    }
  });

  it('revokes the session on sign-out', async () => {
    const client = await app.userWith('viewer');
    const cookie = sessionCookie(client)!;
    expect((await client.post('/api/v1/auth/logout')).status).toBe(200);
    const replay = new HttpClient(app.url);
    replay.cookies.set('flightdeck_session', cookie);
    expect((await replay.get('/api/v1/me')).body).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('ends sessions that sat idle too long or passed their absolute limit', async () => {
    const idle = await app.userWith('viewer');
    const absolute = await app.userWith('viewer');
    const idleMe = (await idle.get<{ id: string }>('/api/v1/me')).body;
    const absoluteMe = (await absolute.get<{ id: string }>('/api/v1/me')).body;
    await sql(`UPDATE sessions SET last_seen_at = now() - interval '31 minutes' WHERE user_id = $1`, [
      idleMe.id,
    ]);
    await sql(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [
      absoluteMe.id,
    ]);
    expect((await idle.get('/api/v1/me')).status).toBe(401);
    expect((await absolute.get('/api/v1/me')).status).toBe(401);
  });

  it('signs a user out everywhere when an admin disables them, and refuses their sign-in', async () => {
    const email = `disabled-${Date.now()}@flightdeck.test`;
    const victim = await app.userWith('deployer', { email });
    const me = (await victim.get<{ id: string }>('/api/v1/me')).body;
    expect((await app.admin.patch(`/api/v1/users/${me.id}`, { disabled: true })).status).toBe(200);
    expect((await victim.get('/api/v1/me')).status).toBe(401);
    const again = await new HttpClient(app.url).post('/api/v1/auth/login', {
      email,
      password: USER_PASSWORD,
    });
    expect(again.status).toBe(403);
    expect(again.body).toMatchObject({ code: 'USER_DISABLED' });
    const audit = await sql(`SELECT action, reason FROM audit_events WHERE target_id = $1 ORDER BY id`, [
      me.id,
    ]);
    expect(audit.map((row) => row.action)).toEqual(
      expect.arrayContaining(['user.disable', 'auth.login.failed']),
    );
  });
});

describe('CSRF protection of cookie-authenticated changes', () => {
  const body = { reason: 'testing CSRF' };
  const lockPath = async () => {
    const stages = (await app.get<{ items: { id: string }[] }>('/api/v1/stages?service=checkout-api')).body
      .items;
    return `/api/v1/stages/${stages[0]!.id}/lock`;
  };

  it('refuses a change without the token, with a wrong token, or from another origin', async () => {
    const path = await lockPath();
    const noToken = new HttpClient(app.url, { sendCsrf: false });
    await noToken.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
    expect((await noToken.put(path, body)).body).toMatchObject({ code: 'CSRF_TOKEN_MISSING' });

    const wrong = new HttpClient(app.url);
    await wrong.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
    wrong.csrfToken = 'x'.repeat(43);
    expect((await wrong.put(path, body)).body).toMatchObject({ code: 'CSRF_TOKEN_INVALID' });

    const right = new HttpClient(app.url);
    await right.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
    const foreign = await right.put(path, body, { headers: { origin: 'https://evil.example' } });
    expect(foreign.status).toBe(403);
    expect(foreign.body).toMatchObject({ code: 'CSRF_ORIGIN_MISMATCH' });
    const crossSite = new HttpClient(app.url, { sendOrigin: false });
    crossSite.cookies.set('flightdeck_session', right.cookies.get('flightdeck_session')!);
    crossSite.csrfToken = right.csrfToken;
    expect(
      (await crossSite.put(path, body, { headers: { 'sec-fetch-site': 'cross-site' } })).body,
    ).toMatchObject({
      code: 'CSRF_CROSS_SITE',
    });

    expect((await right.put(path, body)).status).toBe(200);
    expect((await right.delete(path)).status).toBe(200);
  });

  it('refuses a sign-in posted from another site (login CSRF)', async () => {
    const response = await app.anonymous.post(
      '/api/v1/auth/login',
      { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
      { headers: { origin: 'https://evil.example' } },
    );
    expect(response.status).toBe(403);
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('does not ask API tokens for a CSRF token', async () => {
    const created = await app.admin.post<{ token: string }>('/api/v1/me/tokens', {
      name: 'ci',
      scopes: ['deploy'],
    });
    const ci = new HttpClient(app.url, { bearer: created.body.token, sendOrigin: false });
    const path = await lockPath();
    expect((await ci.put(path, body)).status).toBe(200);
    expect((await ci.delete(path)).status).toBe(200);
  });
});

describe('sign-in throttling', () => {
  it('refuses an account after five failures in the window, even with the right password, and says when to retry', async () => {
    const email = `throttled-${Date.now()}@flightdeck.test`;
    await app.userWith('viewer', { email });
    const client = new HttpClient(app.url);
    for (let i = 0; i < 5; i++) {
      const wrong = await client.post('/api/v1/auth/login', { email, password: 'not the password at all' });
      expect(wrong.body).toMatchObject({ code: 'INVALID_CREDENTIALS' });
    }
    const blocked = await client.post<{ code: string; details: { retryAfterSeconds: number } }>(
      '/api/v1/auth/login',
      {
        email,
        password: USER_PASSWORD,
      },
    );
    expect(blocked.status).toBe(429);
    expect(blocked.body.code).toBe('LOGIN_THROTTLED');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(800);
    expect(blocked.body.details.retryAfterSeconds).toBe(Number(blocked.headers.get('retry-after')));
    // Other accounts from the same address still sign in.
    expect(
      (
        await new HttpClient(app.url).post('/api/v1/auth/login', {
          email: ADMIN_EMAIL,
          password: ADMIN_PASSWORD,
        })
      ).status,
    ).toBe(200);
    const failures = await sql(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'auth.login.failed' AND actor_name = $1`,
      [email],
    );
    expect(failures[0]!.n).toBe(5);
  });

  it('does not let a stranger elsewhere lock the owner out', async () => {
    const proxied = await startTestApp({ env: { FLIGHTDECK_TRUST_PROXY: 'true', FLIGHTDECK_DEMO: 'false' } });
    try {
      const email = `owner-${Date.now()}@flightdeck.test`;
      await proxied.userWith('viewer', { email });
      const from = (ip: string) => ({ headers: { 'x-forwarded-for': ip } });
      const attacker = new HttpClient(proxied.url);
      for (let i = 0; i < 6; i++) {
        await attacker.post(
          '/api/v1/auth/login',
          { email, password: 'guessing wildly here' },
          from('203.0.113.9'),
        );
      }
      const blocked = await attacker.post(
        '/api/v1/auth/login',
        { email, password: USER_PASSWORD },
        from('203.0.113.9'),
      );
      expect(blocked.status).toBe(429);
      const owner = await new HttpClient(proxied.url).post(
        '/api/v1/auth/login',
        { email, password: USER_PASSWORD },
        from('198.51.100.7'),
      );
      expect(owner.status).toBe(200);
      const [row] = await sqlAt(
        proxied.db.url,
        `SELECT ip FROM audit_events WHERE action = 'auth.login' AND actor_name = $1 ORDER BY id DESC LIMIT 1`,
        [email],
      );
      expect(row!.ip).toBe('198.51.100.7');
    } finally {
      await proxied.close();
    }
  });

  it('answers an unknown account like a wrong password', async () => {
    const response = await app.anonymous.post('/api/v1/auth/login', {
      email: 'nobody@flightdeck.test',
      password: 'whatever it is',
    });
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ code: 'INVALID_CREDENTIALS' });
  });
});
