import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export type SecretBoxErrorCode = 'SECRET_KEY_INVALID' | 'SECRET_MALFORMED' | 'SECRET_UNREADABLE';

// Messages never carry the key, the ciphertext or the plaintext: these errors reach logs.
export class SecretBoxError extends Error {
  constructor(
    readonly code: SecretBoxErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

export const SECRET_KEY_BYTES = 32;
const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

// The version is authenticated too, so a value cannot be replayed under a later format's rules.
function aadFor(associatedData: string | undefined): Buffer {
  return Buffer.from(`flightdeck-secret:${VERSION}:${associatedData ?? ''}`, 'utf8');
}

function decodePart(part: string | undefined, bytes?: number): Buffer {
  // Node's base64url decoder skips characters it does not know, so check the alphabet first.
  if (part === undefined || !BASE64URL.test(part)) throw malformed();
  const buffer = Buffer.from(part, 'base64url');
  if (bytes !== undefined && buffer.length !== bytes) throw malformed();
  return buffer;
}

function malformed(): SecretBoxError {
  return new SecretBoxError(
    'SECRET_MALFORMED',
    `Not a sealed secret (expected ${VERSION}:<iv>:<tag>:<data>)`,
  );
}

// AES-256-GCM for secrets at rest: `v1:<iv>:<tag>:<ciphertext>`, base64url, a fresh random IV per value.
// Associated data (e.g. `integrations:<id>:token`) binds a value to where it is stored, so a ciphertext
// copied to another row or field does not open there.
export class SecretBox {
  // A private field keeps the key out of JSON, util.inspect and so out of logs.
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== SECRET_KEY_BYTES) {
      throw new SecretBoxError('SECRET_KEY_INVALID', `The secret key must be ${SECRET_KEY_BYTES} bytes`);
    }
    this.#key = Buffer.from(key);
  }

  seal(plaintext: string, associatedData?: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(aadFor(associatedData));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, iv, tag, data]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join(':');
  }

  open(sealed: string, associatedData?: string): string {
    const parts = sealed.split(':');
    if (parts.length !== 4 || parts[0] !== VERSION) throw malformed();
    const iv = decodePart(parts[1], IV_BYTES);
    // A fixed tag length: GCM would otherwise accept a truncated tag, which is far easier to forge.
    const tag = decodePart(parts[2], TAG_BYTES);
    const data = decodePart(parts[3]);
    const decipher = createDecipheriv('aes-256-gcm', this.#key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aadFor(associatedData));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError(
        'SECRET_UNREADABLE',
        'A stored secret could not be decrypted: wrong key, wrong associated data or altered value',
      );
    }
  }
}
