import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

function issuesOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.issues];
    throw error;
  }
  return [];
}

describe('configuration', () => {
  it('defaults to the embedded database with demo data on port 3000', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.database).toMatchObject({ mode: 'embedded', dataDir: path.resolve('data') });
    expect(config.demo).toBe(true);
    expect(config.migrateOnStart).toBe(true);
  });

  it('uses DATABASE_URL when given, without demo data unless asked', () => {
    const config = loadConfig({ DATABASE_URL: 'postgresql://app:secret@db.internal:5432/flightdeck' });
    expect(config.database).toMatchObject({
      mode: 'external',
      url: 'postgresql://app:secret@db.internal:5432/flightdeck',
    });
    expect(config.demo).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://db/x', FLIGHTDECK_DEMO: 'true' }).demo).toBe(true);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }).database.mode).toBe('embedded');
  });

  it('names each wrong variable and the reason', () => {
    const issues = issuesOf({ PORT: 'eighty', FLIGHTDECK_MIGRATE_ON_START: 'maybe', LOG_LEVEL: 'loud' });
    expect(issues).toHaveLength(3);
    expect(issues.find((i) => i.startsWith('PORT:'))).toContain('"eighty"');
    expect(issues.find((i) => i.startsWith('FLIGHTDECK_MIGRATE_ON_START:'))).toBeDefined();
    expect(issues.find((i) => i.startsWith('LOG_LEVEL:'))).toBeDefined();
  });

  it('refuses a non-Postgres DATABASE_URL without echoing it (it may hold a password)', () => {
    const issues = issuesOf({ DATABASE_URL: 'mysql://root:hunter2@db/app' });
    expect(issues).toEqual([expect.stringMatching(/^DATABASE_URL: must be a postgres/)]);
    expect(issues.join()).not.toContain('hunter2');
  });
});

describe('GitHub configuration', () => {
  const key = '-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n';

  it('is off by default, against api.github.com', () => {
    const config = loadConfig({});
    expect(config.github).toMatchObject({
      apiUrl: 'https://api.github.com',
      auth: null,
      webhookSecret: null,
    });
    expect(config.github.pollIntervalMs).toBe(60_000);
  });

  it('connects as a GitHub App (a key with \\n escapes, or a key file) or with a token, to GitHub Enterprise too', () => {
    const app = loadConfig({
      FLIGHTDECK_GITHUB_API_URL: 'https://ghe.example.com/api/v3/',
      FLIGHTDECK_GITHUB_APP_ID: '1234',
      FLIGHTDECK_GITHUB_PRIVATE_KEY: key.replace(/\n/g, '\\n'),
    }).github;
    expect(app.apiUrl).toBe('https://ghe.example.com/api/v3');
    expect(app.auth).toEqual({ kind: 'app', appId: '1234', privateKey: key });
    const missing = path.join(import.meta.dirname, 'no-such-app-key.pem');
    expect(issuesOf({ FLIGHTDECK_GITHUB_APP_ID: '1', FLIGHTDECK_GITHUB_KEY_FILE: missing })).toEqual([
      'FLIGHTDECK_GITHUB_KEY_FILE: cannot be read',
    ]);
    expect(loadConfig({ FLIGHTDECK_GITHUB_TOKEN: 'ghp_x' }).github.auth).toEqual({
      kind: 'token',
      token: 'ghp_x',
    });
  });

  it('refuses half a GitHub App, both kinds at once, and a key that is not PEM, without echoing secrets', () => {
    expect(issuesOf({ FLIGHTDECK_GITHUB_APP_ID: '1' })).toEqual([
      expect.stringMatching(/^FLIGHTDECK_GITHUB_PRIVATE_KEY: required/),
    ]);
    expect(issuesOf({ FLIGHTDECK_GITHUB_PRIVATE_KEY: key })).toEqual([
      expect.stringMatching(/^FLIGHTDECK_GITHUB_APP_ID: required/),
    ]);
    expect(
      issuesOf({
        FLIGHTDECK_GITHUB_APP_ID: '1',
        FLIGHTDECK_GITHUB_PRIVATE_KEY: key,
        FLIGHTDECK_GITHUB_TOKEN: 'ghp_x',
      }),
    ).toEqual([expect.stringMatching(/^FLIGHTDECK_GITHUB_TOKEN: set a token or a GitHub App/)]);
    const notPem = issuesOf({
      FLIGHTDECK_GITHUB_APP_ID: '1',
      FLIGHTDECK_GITHUB_PRIVATE_KEY: 'hunter2-secret',
    });
    expect(notPem).toEqual(['FLIGHTDECK_GITHUB_PRIVATE_KEY: must be a PEM private key']);
    expect(issuesOf({ FLIGHTDECK_GITHUB_HOOK_SECRET: 'short' }).join()).not.toContain('short"');
  });
});
