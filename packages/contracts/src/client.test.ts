import { describe, expect, it, vi } from 'vitest';
import { ApiError, createApiClient } from './client.js';
import { endpoints } from './endpoints.js';

function recorder(response: () => Response) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchStub = vi.fn((input: string, init?: RequestInit) => {
    calls.push({ url: input, init: init ?? {} });
    return Promise.resolve(response());
  });
  return { calls, fetch: fetchStub as unknown as typeof fetch };
}

function headersOf(init: RequestInit): Record<string, string> {
  return init.headers as Record<string, string>;
}

describe('api client', () => {
  it('sends GETs without a body, with path parameters and query', async () => {
    const { calls, fetch } = recorder(() => Response.json({ items: [], nextCursor: null }));
    const client = createApiClient({ baseUrl: 'http://fd.test', fetch });
    await client.request(endpoints.listAuditEvents, { query: { actor: 'ana lee', limit: 20 } });
    expect(calls[0]!.url).toBe('http://fd.test/api/v1/audit/events?actor=ana+lee&limit=20');
    expect(calls[0]!.init.method).toBe('GET');
    expect(calls[0]!.init.body).toBeUndefined();
    expect(calls[0]!.init.credentials).toBe('same-origin');
    expect(headersOf(calls[0]!.init)).toEqual({ accept: 'application/json' });
  });

  it('sends a JSON body with its content type', async () => {
    const { calls, fetch } = recorder(() => Response.json({}, { status: 201 }));
    const client = createApiClient({ fetch });
    await client.request(endpoints.createMyToken, {
      body: { name: 'ci', scopes: ['read'], expiresInDays: 30 },
    });
    expect(calls[0]!.init.method).toBe('POST');
    expect(JSON.parse(calls[0]!.init.body as string)).toEqual({
      name: 'ci',
      scopes: ['read'],
      expiresInDays: 30,
    });
    expect(headersOf(calls[0]!.init)['content-type']).toBe('application/json');
  });

  it('adds client-wide headers from getHeaders per request, and per-request headers on top', async () => {
    const { calls, fetch } = recorder(() => Response.json({}));
    let token = 'first';
    const getHeaders = vi.fn((endpoint: { method: string }) =>
      endpoint.method === 'GET' ? undefined : { 'X-CSRF-Token': token, 'x-skipped': null },
    );
    const client = createApiClient({ fetch, getHeaders });
    await client.request(endpoints.logout);
    token = 'second';
    await client.request(endpoints.revokeMyToken, {
      params: { id: '00000000-0000-4000-8000-000000000001' },
      headers: { 'Idempotency-Key': 'k1' },
    });
    await client.request(endpoints.getMe);
    expect(headersOf(calls[0]!.init)['x-csrf-token']).toBe('first');
    expect(headersOf(calls[0]!.init)).not.toHaveProperty('x-skipped');
    expect(headersOf(calls[1]!.init)['x-csrf-token']).toBe('second');
    expect(headersOf(calls[1]!.init)['idempotency-key']).toBe('k1');
    expect(calls[1]!.url).toBe('/api/v1/me/tokens/00000000-0000-4000-8000-000000000001');
    expect(headersOf(calls[2]!.init)).not.toHaveProperty('x-csrf-token');
  });

  it('turns a JSON error answer into an ApiError with code, message and details', async () => {
    const { fetch } = recorder(() =>
      Response.json(
        { code: 'LOGIN_THROTTLED', message: 'Too many attempts.', details: { retryAfterSeconds: 30 } },
        { status: 429, headers: { 'retry-after': '30' } },
      ),
    );
    const client = createApiClient({ fetch });
    const error = await client
      .request(endpoints.login, { body: { email: 'a@b.co', password: 'x' } })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 429,
      code: 'LOGIN_THROTTLED',
      message: 'Too many attempts.',
      details: { retryAfterSeconds: 30 },
    });
  });

  it('wraps an error answer that is not JSON (a proxy page) in an ApiError', async () => {
    const { fetch } = recorder(
      () => new Response('<html><body>502 Bad Gateway</body></html>', { status: 502 }),
    );
    const client = createApiClient({ fetch });
    const error = await client.request(endpoints.getAuthState).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 502,
      code: 'HTTP_ERROR',
      message: 'GET /api/v1/auth/session answered 502',
    });
  });

  it('wraps an empty error answer in an ApiError', async () => {
    const { fetch } = recorder(() => new Response(null, { status: 401 }));
    const error = await createApiClient({ fetch })
      .request(endpoints.getMe)
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 401, code: 'HTTP_ERROR' });
  });
});
