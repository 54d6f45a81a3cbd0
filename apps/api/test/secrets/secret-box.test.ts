import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SecretBox, SecretBoxError } from '../../src/secrets/secret-box.js';

const key = randomBytes(32);
const box = new SecretBox(key);
const FORMAT = /^v1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]*$/;

function failure(run: () => unknown): SecretBoxError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SecretBoxError);
    return error as SecretBoxError;
  }
  throw new Error('expected a SecretBoxError');
}

// Flips one bit of one base64url part of a sealed value.
function flip(sealed: string, part: 1 | 2 | 3, byte = 0): string {
  const parts = sealed.split(':');
  const bytes = Buffer.from(parts[part]!, 'base64url');
  bytes[byte] = bytes[byte]! ^ 0x01;
  parts[part] = bytes.toString('base64url');
  return parts.join(':');
}

describe('SecretBox', () => {
  it.each([
    ['an API token', 'ghp_16C7e42F292c6912E7710c838347Ae178B4a'],
    ['an empty string', ''],
    ['unicode', 'pässwörd 🚀 — 秘密'],
    ['a long value', 'x'.repeat(64 * 1024)],
    ['colons', 'a:b:c:d'],
  ])('seals and opens %s', (_, plaintext) => {
    const sealed = box.seal(plaintext, 'integrations:1:token');
    expect(sealed).toMatch(FORMAT);
    expect(sealed).not.toContain(plaintext || '\u0000');
    expect(box.open(sealed, 'integrations:1:token')).toBe(plaintext);
  });

  it('uses a fresh IV each time, so equal secrets do not look equal', () => {
    const sealed = Array.from({ length: 50 }, () => box.seal('same'));
    expect(new Set(sealed).size).toBe(50);
    expect(new Set(sealed.map((value) => value.split(':')[1])).size).toBe(50);
    for (const value of sealed) expect(box.open(value)).toBe('same');
  });

  it.each([
    ['iv', 1],
    ['tag', 2],
    ['ciphertext', 3],
  ] as const)('refuses a value whose %s was altered', (_, part) => {
    const sealed = box.seal('webhook-secret-value', 'webhooks:7:secret');
    for (const byte of [0, 5]) {
      const error = failure(() => box.open(flip(sealed, part, byte), 'webhooks:7:secret'));
      expect(error.code).toBe('SECRET_UNREADABLE');
      expect(error.message).not.toContain('webhook-secret-value');
    }
  });

  it('refuses a value opened with other associated data, so it cannot move to another row or field', () => {
    const sealed = box.seal('token', 'integrations:1:token');
    expect(failure(() => box.open(sealed, 'integrations:2:token')).code).toBe('SECRET_UNREADABLE');
    expect(failure(() => box.open(sealed, 'integrations:1:secret')).code).toBe('SECRET_UNREADABLE');
    expect(failure(() => box.open(sealed)).code).toBe('SECRET_UNREADABLE');
    expect(failure(() => box.open(box.seal('token'), 'integrations:1:token')).code).toBe('SECRET_UNREADABLE');
  });

  it('refuses a value sealed under another key, without saying either key', () => {
    const other = new SecretBox(randomBytes(32));
    const error = failure(() => other.open(box.seal('token')));
    expect(error.code).toBe('SECRET_UNREADABLE');
    expect(error.message).not.toContain(key.toString('base64'));
    expect(error.message).not.toContain(key.toString('hex'));
  });

  it.each([
    ['another version', (s: string) => s.replace(/^v1:/, 'v2:')],
    ['a missing part', (s: string) => s.split(':').slice(0, 3).join(':')],
    ['an extra part', (s: string) => `${s}:AAAA`],
    [
      'a truncated tag',
      (s: string) =>
        s
          .split(':')
          .map((p, i) => (i === 2 ? p.slice(0, 16) : p))
          .join(':'),
    ],
    [
      'a short IV',
      (s: string) =>
        s
          .split(':')
          .map((p, i) => (i === 1 ? p.slice(0, 8) : p))
          .join(':'),
    ],
    ['characters outside base64url', (s: string) => `${s.slice(0, -1)}*`],
    ['plain text', () => 'not-a-secret'],
  ])('refuses %s as malformed', (_, mangle) => {
    const error = failure(() => box.open(mangle(box.seal('token'))));
    expect(error.code).toBe('SECRET_MALFORMED');
  });

  it.each([0, 16, 31, 33, 64])('refuses a %i-byte key', (length) => {
    const error = failure(() => new SecretBox(randomBytes(length)));
    expect(error.code).toBe('SECRET_KEY_INVALID');
  });

  it('keeps the key out of JSON and inspection', () => {
    const shown = `${JSON.stringify(box)} ${inspect(box, { showHidden: true, depth: 5 })}`;
    expect(shown).not.toContain(key.toString('base64'));
    expect(shown).not.toContain(key.toString('hex'));
    expect(shown).not.toMatch(/<Buffer/);
  });

  it('is not affected by later changes to the key buffer it was given', () => {
    const mutable = Buffer.from(key);
    const own = new SecretBox(mutable);
    const sealed = own.seal('token');
    mutable.fill(0);
    expect(own.open(sealed)).toBe('token');
  });
});
