import type { InstanceInfo } from '@flightdeck/contracts';
import { render } from '@testing-library/react';
import { createMemoryRouter } from 'react-router';
import { vi } from 'vitest';
import { App } from '../app';
import { createQueryClient } from '../config/query-client';
import { routes } from '../routes';
import { buildAuthState } from './fixtures/identity';

type ReplyValue = { status?: number; body: unknown; headers?: Record<string, string> };
type Reply = ReplyValue | ((request: RecordedRequest) => ReplyValue);

export interface RecordedRequest {
  method: string;
  path: string;
  search: string;
  headers: Record<string, string>;
  body: unknown;
}

export const instanceFixture: InstanceInfo = {
  name: 'Flightdeck',
  version: '0.1.0',
  database: 'embedded',
  demo: true,
  githubWebUrl: 'https://github.com',
};

// Stubs fetch at the network boundary: the real typed client, query client and router run unchanged.
// Replies are keyed by "METHOD /path" or by "/path" (any method). Unless a test says otherwise, an admin
// is signed in.
export function stubApi(replies: Record<string, Reply>) {
  const calls: string[] = [];
  const requests: RecordedRequest[] = [];
  const table: Record<string, Reply> = { '/api/v1/auth/session': { body: buildAuthState() }, ...replies };
  const fetchStub = vi.fn((input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : input, 'http://flightdeck.test');
    const method = init?.method ?? 'GET';
    const request: RecordedRequest = {
      method,
      path: url.pathname,
      search: url.search,
      headers: (init?.headers ?? {}) as Record<string, string>,
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    calls.push(url.pathname + url.search);
    requests.push(request);
    const reply = table[`${method} ${url.pathname}`] ?? table[url.pathname];
    if (!reply) {
      return Promise.resolve(
        Response.json(
          { code: 'NOT_FOUND', message: `No stub for ${method} ${url.pathname}` },
          { status: 404 },
        ),
      );
    }
    const { status = 200, body, headers } = typeof reply === 'function' ? reply(request) : reply;
    return Promise.resolve(Response.json(body, { status, headers }));
  });
  vi.stubGlobal('fetch', fetchStub);
  return { calls, requests, fetchStub };
}

export function renderApp(url = '/') {
  const queryClient = createQueryClient();
  // Retries with back-off would only slow the error-path tests down.
  queryClient.setDefaultOptions({ queries: { ...queryClient.getDefaultOptions().queries, retry: false } });
  const router = createMemoryRouter(routes, { initialEntries: [url] });
  const view = render(<App router={router} queryClient={queryClient} />);
  return { ...view, router, queryClient };
}
