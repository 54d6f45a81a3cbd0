import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CookieBrowser,
  signInAtProvider,
  startOidcProvider,
  type TestOidcProvider,
} from '@flightdeck/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OidcConfig } from '../../src/config/config.js';
import { httpAllowedFor, OidcClientError, OpenIdClient } from '../../src/identity/oidc/oidc-client.js';

// The adapter on its own, against the real provider: no Flightdeck, no database.
const REDIRECT = 'http://rp.test/callback';

function settings(issuer: string, overrides: Partial<OidcConfig> = {}): OidcConfig {
  return {
    issuer,
    clientId: 'flightdeck',
    clientSecret: 'unused',
    name: 'SSO',
    scopes: 'openid email profile groups',
    groupsClaim: 'groups',
    groupRoles: new Map(),
    groupTeams: new Map(),
    allowHttp: false,
    ...overrides,
  };
}

let idp: TestOidcProvider;

beforeAll(async () => {
  idp = await startOidcProvider({
    redirectUris: [REDIRECT],
    claimsInIdToken: true,
    accounts: [{ sub: 'alice', email: 'alice@example.com', name: 'Alice', groups: ['ops'] }],
  });
});

afterAll(async () => {
  await idp?.close();
});

async function authorize(client: OpenIdClient) {
  const login = await client.beginLogin(REDIRECT);
  const callback = await signInAtProvider(new CookieBrowser(), login.url.toString(), REDIRECT, {
    login: 'alice',
  });
  return { login, callbackUrl: new URL(callback) };
}

describe('OpenIdClient', () => {
  const client = () => new OpenIdClient(settings(idp.issuer, { clientSecret: idp.clientSecret }));

  it('reads the claims from the ID token, without asking userinfo when it has them', async () => {
    const rp = client();
    const { login, callbackUrl } = await authorize(rp);
    const claims = await rp.finishLogin({ callbackUrl, ...login });
    expect(claims).toEqual({
      subject: 'alice',
      email: 'alice@example.com',
      emailVerified: null,
      name: 'Alice',
      groups: ['ops'],
    });
    expect(idp.requests).not.toContain('GET /me');
  });

  it('refuses an ID token whose nonce is not the one this login sent', async () => {
    const rp = client();
    const { login, callbackUrl } = await authorize(rp);
    await expect(rp.finishLogin({ callbackUrl, ...login, nonce: 'another nonce' })).rejects.toThrow(/nonce/);
  });

  it('refuses a code exchanged without its PKCE verifier', async () => {
    const rp = client();
    const { login, callbackUrl } = await authorize(rp);
    const attempt = rp.finishLogin({ callbackUrl, ...login, codeVerifier: 'x'.repeat(43) });
    await expect(attempt).rejects.toThrow(OidcClientError);
    await expect(attempt).rejects.toThrow(/invalid_grant/);
  });

  it('refuses a wrong client secret without quoting it', async () => {
    const rp = new OpenIdClient(settings(idp.issuer, { clientSecret: 'wrong secret value' }));
    const { login, callbackUrl } = await authorize(rp);
    const error = await rp.finishLogin({ callbackUrl, ...login }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OidcClientError);
    expect((error as Error).message).toMatch(/invalid_client/);
    expect((error as Error).message).not.toContain('wrong secret value');
  });

  it('refuses a plain-http issuer off loopback before any request', async () => {
    const rp = new OpenIdClient(settings('http://idp.example.com'));
    await expect(rp.beginLogin(REDIRECT)).rejects.toThrow(/not https/);
  });
});

describe('discovery', () => {
  let server: Server;
  let hits = 0;
  let issuer: string;

  beforeAll(async () => {
    // A provider that is down: every discovery request fails.
    server = createServer((_req, res) => {
      hits += 1;
      res.statusCode = 503;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('does not dial a failing provider again on every login', async () => {
    const rp = new OpenIdClient(settings(issuer));
    await expect(rp.beginLogin(REDIRECT)).rejects.toThrow(/discovery failed/);
    await expect(rp.beginLogin(REDIRECT)).rejects.toThrow(/discovery failed/);
    expect(hits).toBe(1);
  });

  it('discovers a working provider once for any number of logins', async () => {
    const before = idp.requests.filter((line) => line.includes('openid-configuration')).length;
    const rp = new OpenIdClient(settings(idp.issuer, { clientSecret: idp.clientSecret }));
    await Promise.all([rp.beginLogin(REDIRECT), rp.beginLogin(REDIRECT), rp.beginLogin(REDIRECT)]);
    await rp.beginLogin(REDIRECT);
    expect(idp.requests.filter((line) => line.includes('openid-configuration')).length - before).toBe(1);
  });
});

describe('httpAllowedFor', () => {
  it.each([
    ['https://idp.example.com', false, true],
    ['http://127.0.0.1:8080', false, true],
    ['http://localhost:8080', false, true],
    ['http://[::1]:8080', false, true],
    ['http://idp.example.com', false, false],
    ['http://127.0.0.1.evil.example', false, false],
    ['http://idp.internal', true, true],
    ['ftp://idp.example.com', true, false],
  ])('%s (explicit %s) → %s', (url, explicit, allowed) => {
    expect(httpAllowedFor(new URL(url), explicit)).toBe(allowed);
  });
});
