import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-flightdeck-signature';
const PREFIX = 'sha256=';

// GitHub-style: `sha256=<hex HMAC-SHA256 of the exact body bytes>`, so targets can reuse their verifiers.
export function signWebhookBody(secret: string, body: Buffer | string): string {
  return PREFIX + createHmac('sha256', secret).update(body).digest('hex');
}

// Constant-time over equal lengths; a header of another shape or length is simply wrong.
export function verifyWebhookSignature(
  secret: string,
  body: Buffer | string,
  header: string | readonly string[] | undefined | null,
): boolean {
  if (typeof header !== 'string' || !header.startsWith(PREFIX)) return false;
  const expected = Buffer.from(signWebhookBody(secret, body), 'utf8');
  const given = Buffer.from(header.trim().toLowerCase(), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
