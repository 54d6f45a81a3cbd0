import { randomUUID } from 'node:crypto';
import {
  CookieBrowser,
  signInAtProvider,
  startOidcProvider,
  type OidcTestAccount,
  type TestOidcProvider,
} from '@flightdeck/test-kit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';

// Flightdeck believes it lives here (FLIGHTDECK_PUBLIC_URL); the cookie browser sends that origin to the
// app's real loopback port. The provider registers the callback under this origin, as in production.
const PUBLIC_URL = 'http://flightdeck.test';
const CALLBACK = `${PUBLIC_URL}/api/v1/auth/oidc/callback`;
const LOGIN = `${PUBLIC_URL}/api/v1/auth/oidc/login`;

const GROUP_ROLES = 'fd-admins=admin,fd-approvers=approver,fd-deployers=deployer';
const GROUP_TEAMS = [
  'payments-eng=payments:deployer',
  'payments-leads=payments:approver',
  'search-eng=search:deployer',
  'ops-eng=ops:deployer',
  'ghost-eng=ghost:deployer',
].join(',');

let idp: TestOidcProvider;
let app: TestApp;
let db: pg.Client;

const unique = () => randomUUID().slice(0, 8);

function account(overrides: Partial<OidcTestAccount> = {}): OidcTestAccount {
  const id = unique();
  return {
    sub: `sub-${id}`,
    email: `User.${id}@Example.com`,
    name: `User ${id}`,
    emailVerified: true,
    ...overrides,
  };
}

function freshBrowser(): CookieBrowser {
  return new CookieBrowser({ [PUBLIC_URL]: app.url });
}

// Start at Flightdeck, sign in at the provider, and stop before the callback.
async function toCallback(browser: CookieBrowser, who: OidcTestAccount, returnTo?: string): Promise<string> {
  idp.setAccount(who);
  const start = returnTo === undefined ? LOGIN : `${LOGIN}?returnTo=${encodeURIComponent(returnTo)}`;
  return signInAtProvider(browser, start, CALLBACK, { login: who.sub });
}

async function ssoLogin(who: OidcTestAccount, returnTo?: string) {
  const browser = freshBrowser();
  const callback = await toCallback(browser, who, returnTo);
  const reply = await browser.get(callback);
  return { browser, callback, reply, session: browser.cookie(PUBLIC_URL, 'flightdeck_session') };
}

async function userByEmail(email: string) {
  const { rows } = await db.query<{ id: string; role: string; name: string; password_hash: string | null }>(
    'SELECT id, role, name, password_hash FROM users WHERE email = $1',
    [email.toLowerCase()],
  );
  return rows[0];
}

async function membershipsOf(userId: string) {
  const { rows } = await db.query<{ slug: string; role: string; from_sso: boolean }>(
    `SELECT t.slug, m.role, m.from_sso FROM team_memberships m JOIN teams t ON t.id = m.team_id
     WHERE m.user_id = $1 ORDER BY t.slug`,
    [userId],
  );
  return rows;
}

async function auditFor(userId: string | null, action: string) {
  const { rows } = await db.query<{ outcome: string; reason: string | null; actor_id: string | null }>(
    `SELECT outcome, reason, actor_id FROM audit_events
     WHERE action = $1 AND ($2::text IS NULL OR target_id = $2) ORDER BY id`,
    [action, userId],
  );
  return rows;
}

async function sessionCount(userId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM sessions WHERE user_id = $1',
    [userId],
  );
  return rows[0]!.n;
}

async function failureReasons(): Promise<string[]> {
  return (await auditFor(null, 'auth.sso.failed')).map((row) => row.reason ?? '');
}

beforeAll(async () => {
  idp = await startOidcProvider({ redirectUris: [CALLBACK] });
  app = await startTestApp({
    env: {
      FLIGHTDECK_DEMO: 'false',
      // No first admin: the harness would sign it in from the loopback origin, which the public URL refuses.
      FLIGHTDECK_ADMIN_EMAIL: '',
      FLIGHTDECK_ADMIN_PASSWORD: '',
      FLIGHTDECK_PUBLIC_URL: PUBLIC_URL,
      FLIGHTDECK_OIDC_ISSUER: idp.issuer,
      FLIGHTDECK_OIDC_CLIENT_ID: idp.clientId,
      FLIGHTDECK_OIDC_CLIENT_SECRET: idp.clientSecret,
      FLIGHTDECK_OIDC_GROUP_ROLES: GROUP_ROLES,
      FLIGHTDECK_OIDC_GROUP_TEAMS: GROUP_TEAMS,
    },
  });
  db = new pg.Client({ connectionString: app.db.url });
  await db.connect();
  // "ghost" is mapped but never created: its mapping must be ignored.
  for (const slug of ['payments', 'search', 'ops', 'platform']) {
    await db.query('INSERT INTO teams (id, slug, name, updated_at) VALUES ($1, $2, $3, now())', [
      randomUUID(),
      slug,
      slug,
    ]);
  }
});

afterAll(async () => {
  await db?.end();
  await app?.close();
  await idp?.close();
});

describe('single sign-on against a real OpenID provider', () => {
  it('provisions a new user with role and team memberships from groups, and signs them in', async () => {
    const who = account({
      groups: [
        'fd-deployers',
        'fd-approvers',
        'payments-eng',
        'payments-leads',
        'search-eng',
        'ghost-eng',
        'unmapped',
      ],
    });
    const { reply, session } = await ssoLogin(who, '/services/checkout?tab=history');

    expect(reply.status).toBe(302);
    expect(reply.location).toBe(`${PUBLIC_URL}/services/checkout?tab=history`);
    expect(session).toBeTruthy();

    const user = await userByEmail(who.email!);
    expect(user).toMatchObject({ role: 'approver', name: who.name, password_hash: null });
    expect(await membershipsOf(user!.id)).toEqual([
      { slug: 'payments', role: 'approver', from_sso: true },
      { slug: 'search', role: 'deployer', from_sso: true },
    ]);
    const identities = await db.query('SELECT issuer, subject FROM oidc_identities WHERE user_id = $1', [
      user!.id,
    ]);
    expect(identities.rows).toEqual([{ issuer: idp.issuer, subject: who.sub }]);
    expect(await sessionCount(user!.id)).toBe(1);

    const state = await app.get<{ user: { email: string; role: string } | null }>('/api/v1/auth/session', {
      headers: { cookie: `flightdeck_session=${session}` },
    });
    expect(state.body.user).toMatchObject({ email: who.email!.toLowerCase(), role: 'approver' });

    expect(await auditFor(user!.id, 'user.create')).toHaveLength(1);
    expect(await auditFor(user!.id, 'team.membership.sync')).toHaveLength(1);
    expect(await auditFor(user!.id, 'auth.login')).toEqual([
      { outcome: 'success', reason: 'sso', actor_id: user!.id },
    ]);
    expect(app.logs.filter((line) => line.includes('"team":"ghost"'))).toHaveLength(1);
  });

  it('links the next login to the same user and follows group changes, keeping memberships added by hand', async () => {
    const who = account({ groups: ['fd-deployers', 'payments-leads', 'search-eng'] });
    await ssoLogin(who);
    const user = await userByEmail(who.email!);
    // An admin adds two memberships by hand; one is for a team a group also maps.
    const teams = await db.query<{ id: string; slug: string }>(
      "SELECT id, slug FROM teams WHERE slug IN ('platform', 'ops')",
    );
    for (const team of teams.rows) {
      await db.query(
        'INSERT INTO team_memberships (team_id, user_id, role, from_sso) VALUES ($1, $2, $3, false)',
        [team.id, user!.id, 'viewer'],
      );
    }

    const second = await ssoLogin({
      ...who,
      name: 'Renamed Person',
      groups: ['fd-admins', 'payments-eng', 'ops-eng'],
    });
    expect(second.reply.location).toBe(`${PUBLIC_URL}/`);
    const after = await userByEmail(who.email!);
    expect(after).toMatchObject({ id: user!.id, role: 'admin', name: 'Renamed Person' });
    expect(await membershipsOf(user!.id)).toEqual([
      { slug: 'ops', role: 'viewer', from_sso: false },
      { slug: 'payments', role: 'deployer', from_sso: true },
      { slug: 'platform', role: 'viewer', from_sso: false },
    ]);
    expect(await auditFor(user!.id, 'team.membership.sync')).toHaveLength(2);
    expect(await auditFor(user!.id, 'user.update')).toHaveLength(1);
    expect(await sessionCount(user!.id)).toBe(2);

    // No mapped group any more: the role stays what it is, SSO memberships go, hand-made ones stay.
    await ssoLogin({ ...who, groups: ['unmapped'] });
    expect((await userByEmail(who.email!))!.role).toBe('admin');
    expect((await membershipsOf(user!.id)).map((m) => m.slug)).toEqual(['ops', 'platform']);
  });

  it('links an existing local account by e-mail and keeps its role when no group is mapped', async () => {
    const who = account({ groups: [] });
    const id = randomUUID();
    await db.query(
      "INSERT INTO users (id, email, name, role, password_hash, updated_at) VALUES ($1, $2, 'Local', 'deployer', 'x', now())",
      [id, who.email!.toLowerCase()],
    );
    const { reply } = await ssoLogin(who);
    expect(reply.location).toBe(`${PUBLIC_URL}/`);
    expect(await userByEmail(who.email!)).toMatchObject({ id, role: 'deployer', password_hash: 'x' });
    expect(await auditFor(id, 'user.sso.link')).toHaveLength(1);
    expect(await auditFor(id, 'user.create')).toHaveLength(0);
  });

  it('makes a new user without a mapped group a viewer; a missing groups claim counts as no groups', async () => {
    const who = account({ groups: undefined });
    await ssoLogin(who);
    expect((await userByEmail(who.email!))!.role).toBe('viewer');
  });

  it('refuses a replayed callback with sso_state_mismatch and starts no second session', async () => {
    const who = account({ groups: ['fd-deployers'] });
    const first = await ssoLogin(who);
    const user = await userByEmail(who.email!);
    const replay = await first.browser.get(first.callback);
    expect(replay.status).toBe(302);
    expect(replay.location).toBe(`${PUBLIC_URL}/login?error=sso_state_mismatch`);
    expect(await sessionCount(user!.id)).toBe(1);
    expect(await failureReasons()).toContain('sso_state_mismatch: unknown or already used state');
  });

  it('refuses a callback delivered to another browser than the one that started the login', async () => {
    const who = account();
    const callback = await toCallback(freshBrowser(), who);
    const victim = freshBrowser();
    const reply = await victim.get(callback);
    expect(reply.location).toBe(`${PUBLIC_URL}/login?error=sso_state_mismatch`);
    expect(victim.cookie(PUBLIC_URL, 'flightdeck_session')).toBeUndefined();
    expect(await userByEmail(who.email!)).toBeUndefined();
  });

  it('sends a user who cancels at the provider back with sso_denied', async () => {
    const browser = freshBrowser();
    const callback = await signInAtProvider(browser, LOGIN, CALLBACK, { deny: true });
    expect(new URL(callback).searchParams.get('error')).toBe('access_denied');
    const reply = await browser.get(callback);
    expect(reply.location).toBe(`${PUBLIC_URL}/login?error=sso_denied`);
    expect(await failureReasons()).toContainEqual(
      expect.stringMatching(/^sso_denied: provider answered access_denied/),
    );
  });

  it('refuses a disabled user with user_disabled and no session', async () => {
    const who = account({ groups: ['fd-admins'] });
    await ssoLogin(who);
    const user = await userByEmail(who.email!);
    await db.query('UPDATE users SET disabled_at = now() WHERE id = $1', [user!.id]);
    const again = await ssoLogin(who);
    expect(again.reply.location).toBe(`${PUBLIC_URL}/login?error=user_disabled`);
    expect(again.session).toBeUndefined();
    expect(await sessionCount(user!.id)).toBe(1);
    expect(await auditFor(user!.id, 'auth.sso.failed')).toEqual([
      { outcome: 'failure', reason: 'user_disabled: account disabled', actor_id: user!.id },
    ]);
  });

  it('refuses an e-mail the provider marks unverified', async () => {
    const who = account({ emailVerified: false });
    const { reply } = await ssoLogin(who);
    expect(reply.location).toBe(`${PUBLIC_URL}/login?error=sso_failed`);
    expect(await userByEmail(who.email!)).toBeUndefined();
  });

  it('answers a malformed callback with a redirect, not a JSON error', async () => {
    const reply = await freshBrowser().get(`${CALLBACK}?code=abc`);
    expect(reply.status).toBe(302);
    expect(reply.location).toBe(`${PUBLIC_URL}/login?error=sso_failed`);
  });

  it.each(['//evil.example', 'https://evil.example', '/\\evil.example', '/\t/evil.example', 'evil.example'])(
    'rejects returnTo %j before going to the provider',
    async (returnTo) => {
      const reply = await freshBrowser().get(`${LOGIN}?returnTo=${encodeURIComponent(returnTo)}`);
      expect(reply.status).toBe(400);
      expect(reply.location).toBeNull();
      expect(JSON.parse(reply.text)).toMatchObject({ code: 'INVALID_QUERY' });
    },
  );

  it('sends the provider PKCE S256, state and nonce, and redirects without leaking anything', async () => {
    const browser = freshBrowser();
    const start = await browser.get(LOGIN);
    expect(start.status).toBe(302);
    const authorize = new URL(start.location!);
    expect(authorize.origin).toBe(idp.issuer);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('redirect_uri')).toBe(CALLBACK);
    for (const name of ['state', 'nonce', 'code_challenge'])
      expect(authorize.searchParams.get(name)).toBeTruthy();
    expect(authorize.searchParams.has('client_secret')).toBe(false);
  });

  it('keeps codes, tokens and the client secret out of logs and redirects, and discovers the provider once', async () => {
    const who = account({ groups: ['fd-deployers'] });
    const { callback, reply } = await ssoLogin(who);
    const code = new URL(callback).searchParams.get('code')!;
    expect(reply.location).not.toContain(code);
    const logs = app.logs.join('\n');
    expect(logs).not.toContain(code);
    expect(logs).not.toContain(idp.clientSecret);
    expect(logs).not.toMatch(/eyJ[\w-]+\.eyJ[\w-]+/); // a JWT (ID token)
    const { rows } = await db.query<{ reason: string | null }>('SELECT reason FROM audit_events');
    expect(rows.map((row) => row.reason ?? '').join('\n')).not.toContain(code);
    expect(idp.requests.filter((line) => line === 'GET /.well-known/openid-configuration')).toHaveLength(1);
  });

  // The access log redacts OAuth parameters from query strings (logging/logger.ts).
  it('keeps the authorization code and state out of the access log', async () => {
    const { callback } = await ssoLogin(account());
    const params = new URL(callback).searchParams;
    const logs = app.logs.join('\n');
    expect(logs).not.toContain(params.get('code')!);
    expect(logs).not.toContain(params.get('state')!);
    expect(logs).toContain('/api/v1/auth/oidc/callback?');
  });
});

describe('single sign-on when it is not configured', () => {
  let plain: TestApp;
  beforeAll(async () => {
    plain = await startTestApp({
      env: { FLIGHTDECK_DEMO: 'false', FLIGHTDECK_ADMIN_EMAIL: '', FLIGHTDECK_ADMIN_PASSWORD: '' },
      db: app.db,
    });
  });
  afterAll(async () => {
    await plain?.close();
  });

  it('answers 404 SSO_NOT_CONFIGURED on login and sends a stray callback to the login page', async () => {
    const login = await plain.get<{ code: string }>('/api/v1/auth/oidc/login', { redirect: 'manual' });
    expect(login.status).toBe(404);
    expect(login.body.code).toBe('SSO_NOT_CONFIGURED');
    const callback = await plain.get('/api/v1/auth/oidc/callback?state=x&code=y', { redirect: 'manual' });
    expect(callback.status).toBe(302);
    expect(callback.headers.get('location')).toBe('/login?error=sso_failed');
  });
});
