import { describe, expect, it } from 'vitest';
import { signWebhookBody, verifyWebhookSignature } from '../../src/drivers/webhook/webhook-signature.js';

// GitHub's published example, so a target can reuse a GitHub webhook verifier as is.
const SECRET = "It's a Secret to Everybody";
const BODY = 'Hello, World!';
const SIGNATURE = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';

describe('webhook signatures', () => {
  it('signs the raw body like GitHub does', () => {
    expect(signWebhookBody(SECRET, BODY)).toBe(SIGNATURE);
    expect(signWebhookBody(SECRET, Buffer.from(BODY, 'utf8'))).toBe(SIGNATURE);
  });

  it('accepts only the exact signature of the exact bytes', () => {
    expect(verifyWebhookSignature(SECRET, BODY, SIGNATURE)).toBe(true);
    expect(verifyWebhookSignature(SECRET, BODY, SIGNATURE.toUpperCase().replace('SHA256', 'sha256'))).toBe(
      true,
    );
    expect(verifyWebhookSignature(SECRET, `${BODY} `, SIGNATURE)).toBe(false);
    expect(verifyWebhookSignature('another secret', BODY, SIGNATURE)).toBe(false);
    expect(verifyWebhookSignature(SECRET, BODY, SIGNATURE.slice(0, -2))).toBe(false);
    expect(verifyWebhookSignature(SECRET, BODY, SIGNATURE.replace('sha256=', 'sha1='))).toBe(false);
    expect(verifyWebhookSignature(SECRET, BODY, undefined)).toBe(false);
    expect(verifyWebhookSignature(SECRET, BODY, [SIGNATURE])).toBe(false);
  });
});
