import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/config.js';
import { SECRET_KEY_BYTES, SecretBoxError } from './secret-box.js';

export const SECRET_KEY_FILE = 'secret.key';

export interface KeyFile {
  readonly key: Buffer;
  readonly created: boolean;
  // Group or others may read it: worth a warning, not a refusal.
  readonly exposed: boolean;
}

function isErrno(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === code;
}

export function decodeSecretKey(text: string, source: string): Buffer {
  const trimmed = text.trim();
  const key = Buffer.from(trimmed, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) || key.length !== SECRET_KEY_BYTES) {
    throw new SecretBoxError(
      'SECRET_KEY_INVALID',
      `${source} does not hold a ${SECRET_KEY_BYTES}-byte base64 key`,
    );
  }
  return key;
}

async function readKeyFile(file: string): Promise<KeyFile> {
  const [text, info] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
  return { key: decodeSecretKey(text, file), created: false, exposed: (info.mode & 0o077) !== 0 };
}

// Reads the key file, or creates it when missing. The key is written whole to a private temporary file
// (`wx`, mode 0600) and then hard-linked into place: the link fails if another process won the race, and
// nobody ever reads a half-written key.
export async function readOrCreateKeyFile(dataDir: string): Promise<KeyFile> {
  const file = path.join(dataDir, SECRET_KEY_FILE);
  try {
    return await readKeyFile(file);
  } catch (error) {
    if (!isErrno(error, 'ENOENT')) throw error;
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(SECRET_KEY_BYTES);
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, `${key.toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
  try {
    await link(temporary, file);
    return { key, created: true, exposed: false };
  } catch (error) {
    if (!isErrno(error, 'EEXIST')) throw error;
    return await readKeyFile(file);
  } finally {
    await rm(temporary, { force: true });
  }
}

// FLIGHTDECK_SECRET_KEY when set; otherwise a key kept in the data directory.
export async function loadSecretKey(config: AppConfig, logger: Logger): Promise<Buffer> {
  if (config.secretKey) return decodeSecretKey(config.secretKey.toString('base64'), 'FLIGHTDECK_SECRET_KEY');
  const { key, created, exposed } = await readOrCreateKeyFile(config.dataDir);
  const file = path.join(config.dataDir, SECRET_KEY_FILE);
  if (config.database.mode === 'external') {
    // Each replica would otherwise make its own key and fail to read what the others encrypted.
    logger.warn(
      { file },
      'secrets: FLIGHTDECK_SECRET_KEY is not set, using a key file; every replica must share one FLIGHTDECK_SECRET_KEY',
    );
  } else if (created) {
    logger.info({ file }, 'secrets: generated an encryption key; back it up with the data directory');
  }
  if (exposed) logger.warn({ file }, 'secrets: the key file is readable by other users; chmod 600 it');
  return key;
}
