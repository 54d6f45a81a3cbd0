import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { SecretBox, SecretBoxError } from '../../src/secrets/secret-box.js';
import { loadSecretKey, readOrCreateKeyFile, SECRET_KEY_FILE } from '../../src/secrets/secret-key.js';
import { memoryLogger } from '../support/test-app.js';

const dirs: string[] = [];

async function freshDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'fd-secrets-'));
  dirs.push(dir);
  return dir;
}

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('the key file', () => {
  it('is generated once, private (0600), and reused by later instances', async () => {
    const dataDir = path.join(await freshDir(), 'nested', 'data');
    const first = await readOrCreateKeyFile(dataDir);
    expect(first.created).toBe(true);
    expect(first.key).toHaveLength(32);
    const file = path.join(dataDir, SECRET_KEY_FILE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(Buffer.from((await readFile(file, 'utf8')).trim(), 'base64').equals(first.key)).toBe(true);

    const second = await readOrCreateKeyFile(dataDir);
    expect(second).toMatchObject({ created: false, exposed: false });
    expect(second.key.equals(first.key)).toBe(true);
    // What one instance sealed, the next one opens.
    expect(new SecretBox(second.key).open(new SecretBox(first.key).seal('token', 'a:1:b'), 'a:1:b')).toBe(
      'token',
    );
  });

  it('has exactly one winner when several processes start at once, and leaves no temporary files', async () => {
    const dataDir = await freshDir();
    const results = await Promise.all(Array.from({ length: 12 }, () => readOrCreateKeyFile(dataDir)));
    expect(results.filter((result) => result.created)).toHaveLength(1);
    for (const result of results) expect(result.key.equals(results[0]!.key)).toBe(true);
    expect(await readdir(dataDir)).toEqual([SECRET_KEY_FILE]);
  });

  it.each([
    ['too short', randomBytes(16).toString('base64')],
    ['too long', randomBytes(33).toString('base64')],
    ['empty', ''],
    ['not base64', 'this is not a key at all, clearly!!'],
  ])('refuses a key file that is %s, without echoing it', async (_, content) => {
    const dataDir = await freshDir();
    await writeFile(path.join(dataDir, SECRET_KEY_FILE), content, { mode: 0o600 });
    const error = await readOrCreateKeyFile(dataDir).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SecretBoxError);
    expect(error).toMatchObject({ code: 'SECRET_KEY_INVALID' });
    expect((error as Error).message).toContain(SECRET_KEY_FILE);
    if (content) expect((error as Error).message).not.toContain(content);
    // A bad file is never replaced: that would orphan everything encrypted with the real key.
    expect(await readFile(path.join(dataDir, SECRET_KEY_FILE), 'utf8')).toBe(content);
  });

  it('notices a key file others can read', async () => {
    const dataDir = await freshDir();
    await readOrCreateKeyFile(dataDir);
    await chmod(path.join(dataDir, SECRET_KEY_FILE), 0o644);
    await expect(readOrCreateKeyFile(dataDir)).resolves.toMatchObject({ created: false, exposed: true });
  });
});

describe('loadSecretKey', () => {
  const externalEnv = (dataDir: string) => ({
    DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/flightdeck',
    FLIGHTDECK_DATA_DIR: dataDir,
  });

  it('uses FLIGHTDECK_SECRET_KEY when set, writes no file and warns of nothing', async () => {
    const dataDir = await freshDir();
    const key = randomBytes(32);
    const logs: string[] = [];
    const config = loadConfig({ ...externalEnv(dataDir), FLIGHTDECK_SECRET_KEY: key.toString('base64') });
    expect((await loadSecretKey(config, memoryLogger(logs))).equals(key)).toBe(true);
    expect(await readdir(dataDir)).toEqual([]);
    expect(logs).toEqual([]);
  });

  it('warns once, with an external database, that replicas must share FLIGHTDECK_SECRET_KEY', async () => {
    const dataDir = await freshDir();
    const logs: string[] = [];
    const key = await loadSecretKey(loadConfig(externalEnv(dataDir)), memoryLogger(logs));
    expect(key).toHaveLength(32);
    expect(logs).toHaveLength(1);
    const line = JSON.parse(logs[0]!) as { level: number; msg: string };
    expect(line.level).toBe(40);
    expect(line.msg).toContain('every replica must share one FLIGHTDECK_SECRET_KEY');
    expect(logs[0]).not.toContain(key.toString('base64'));
  });

  it('with the embedded database, says once that it generated a key and stays quiet afterwards', async () => {
    const dataDir = await freshDir();
    const config = loadConfig({ FLIGHTDECK_DATA_DIR: dataDir });
    const first: string[] = [];
    const second: string[] = [];
    const key = await loadSecretKey(config, memoryLogger(first));
    expect((await loadSecretKey(config, memoryLogger(second))).equals(key)).toBe(true);
    expect(first.map((line) => (JSON.parse(line) as { level: number }).level)).toEqual([30]);
    expect(second).toEqual([]);
  });

  it('refuses a key file of the wrong length', async () => {
    const dataDir = await freshDir();
    await writeFile(path.join(dataDir, SECRET_KEY_FILE), randomBytes(24).toString('base64'));
    await expect(loadSecretKey(loadConfig(externalEnv(dataDir)), memoryLogger([]))).rejects.toMatchObject({
      code: 'SECRET_KEY_INVALID',
    });
  });
});
