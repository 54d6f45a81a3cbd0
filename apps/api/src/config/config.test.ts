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
