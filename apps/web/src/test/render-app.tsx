import type { InstanceInfo } from '@flightdeck/contracts';
import { render } from '@testing-library/react';
import { createMemoryRouter } from 'react-router';
import { vi } from 'vitest';
import { App } from '../app';
import { createQueryClient } from '../config/query-client';
import { routes } from '../routes';

type Reply = { status?: number; body: unknown } | (() => { status?: number; body: unknown });

export const instanceFixture: InstanceInfo = {
  name: 'Flightdeck',
  version: '0.1.0',
  database: 'embedded',
  demo: true,
};

// Stubs fetch at the network boundary: the real typed client, query client and router run unchanged.
export function stubApi(replies: Record<string, Reply>) {
  const calls: string[] = [];
  const fetchStub = vi.fn((input: RequestInfo | URL) => {
    const url = new URL(input instanceof Request ? input.url : input, 'http://flightdeck.test');
    calls.push(url.pathname + url.search);
    const reply = replies[url.pathname];
    if (!reply) {
      return Promise.resolve(
        Response.json({ code: 'NOT_FOUND', message: `No stub for ${url.pathname}` }, { status: 404 }),
      );
    }
    const { status = 200, body } = typeof reply === 'function' ? reply() : reply;
    return Promise.resolve(Response.json(body, { status }));
  });
  vi.stubGlobal('fetch', fetchStub);
  return { calls, fetchStub };
}

export function renderApp(url = '/') {
  const queryClient = createQueryClient();
  // Retries with back-off would only slow the error-path tests down.
  queryClient.setDefaultOptions({ queries: { ...queryClient.getDefaultOptions().queries, retry: false } });
  const router = createMemoryRouter(routes, { initialEntries: [url] });
  const view = render(<App router={router} queryClient={queryClient} />);
  return { ...view, router, queryClient };
}
