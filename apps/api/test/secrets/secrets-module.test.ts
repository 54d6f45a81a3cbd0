import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '@flightdeck/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '../../src/secrets/secret-box.js';
import { SECRET_KEY_FILE } from '../../src/secrets/secret-key.js';
import { startTestApp } from '../support/test-app.js';

let db: TestDatabase;
let dataDir: string;

beforeAll(async () => {
  db = await createTestDatabase();
  dataDir = await mkdtemp(path.join(tmpdir(), 'fd-secrets-app-'));
});

afterAll(async () => {
  await db?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('SecretsModule in the app', () => {
  it('gives every module one SecretBox, keyed from the data directory, and says replicas need a shared key', async () => {
    const app = await startTestApp({ db, env: { FLIGHTDECK_DEMO: 'false', FLIGHTDECK_DATA_DIR: dataDir } });
    try {
      const box = app.server.app.get(SecretBox);
      expect(box.open(box.seal('token', 'x:1:y'), 'x:1:y')).toBe('token');
      expect(await readdir(dataDir)).toContain(SECRET_KEY_FILE);
      expect(
        app.logs.filter((line) => line.includes('every replica must share one FLIGHTDECK_SECRET_KEY')),
      ).toHaveLength(1);
    } finally {
      await app.close();
    }
  });

  it('refuses to start with a malformed key file', async () => {
    const badDir = await mkdtemp(path.join(dataDir, 'bad-'));
    await writeFile(path.join(badDir, SECRET_KEY_FILE), randomBytes(8).toString('base64'));
    await expect(
      startTestApp({ db, env: { FLIGHTDECK_DEMO: 'false', FLIGHTDECK_DATA_DIR: badDir } }),
    ).rejects.toMatchObject({ code: 'SECRET_KEY_INVALID' });
  });
});
