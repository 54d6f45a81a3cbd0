import type { Request } from 'express';
import { ForbiddenError } from '../common/errors.js';
import { safeEqual } from './sessions.service.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method);
}

// The origin a browser should be on: the configured public URL, else this request's own origin.
function expectedOrigin(req: Request, publicUrl: string | null): string {
  return publicUrl ?? `${req.protocol}://${req.get('host') ?? ''}`;
}

// A cross-site page cannot send our cookie with a same-site Origin: refuse any other origin.
export function assertSameOrigin(req: Request, publicUrl: string | null): void {
  const origin = req.headers.origin;
  if (origin !== undefined) {
    if (origin !== expectedOrigin(req, publicUrl)) {
      throw new ForbiddenError(
        'CSRF_ORIGIN_MISMATCH',
        `Requests from ${origin} may not change anything here`,
      );
    }
    return;
  }
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    throw new ForbiddenError('CSRF_CROSS_SITE', 'Cross-site requests may not change anything here');
  }
}

// Cookie-authenticated changes need the same-origin check and the session's CSRF token in a header.
export function assertCsrf(req: Request, sessionCsrfToken: string, publicUrl: string | null): void {
  assertSameOrigin(req, publicUrl);
  const sent = req.headers['x-csrf-token'];
  if (typeof sent !== 'string' || sent === '') {
    throw new ForbiddenError(
      'CSRF_TOKEN_MISSING',
      'Send the X-CSRF-Token header from GET /api/v1/auth/session',
    );
  }
  if (!safeEqual(sent, sessionCsrfToken)) {
    throw new ForbiddenError('CSRF_TOKEN_INVALID', 'The X-CSRF-Token header does not match this session');
  }
}
