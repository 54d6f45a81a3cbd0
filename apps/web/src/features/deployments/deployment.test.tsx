import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { instanceFixture, renderApp, stubApi } from '../../test/render-app';
import { buildDeploymentDetail } from '../service/service-fixtures';
import { DEPLOYMENT_REFRESH_MS } from './deployment-queries';

afterEach(() => {
  vi.useRealTimers();
});

describe('deployment page', () => {
  it('shows the summary and the events oldest first with the time between steps', async () => {
    const deployment = buildDeploymentDetail({
      status: 'failed',
      error: 'Readiness probe failed on 2 of 3 pods',
      driverUrl: 'https://argo.example.com/applications/checkout',
    });
    stubApi({
      '/api/v1/instance': { body: instanceFixture },
      [`/api/v1/deployments/${deployment.id}`]: { body: deployment },
    });
    renderApp(`/deployments/${deployment.id}`);

    expect(await screen.findByRole('heading', { level: 1, name: 'v1.5.0 to staging' })).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('Readiness probe failed on 2 of 3 pods');
    expect(screen.getByRole('link', { name: /Open in the driver/ })).toHaveAttribute(
      'href',
      'https://argo.example.com/applications/checkout',
    );
    expect(screen.getByRole('link', { name: 'Back to checkout-api' })).toHaveAttribute(
      'href',
      '/services/checkout-api',
    );

    const timeline = screen.getByRole('list', { name: 'Deployment events' });
    const items = within(timeline).getAllByRole('listitem');
    expect(
      items.map((item) => within(item).getByText(/Requested|Driver started|Rollout complete/).textContent),
    ).toEqual(['Requested', 'Driver started', 'Rollout complete']);
    expect(items[1]).toHaveTextContent('+1m 00s');
    expect(items[2]).toHaveTextContent('+2m 00s');
  });

  it('refetches every 5 s while in flight and stops once terminal', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const running = buildDeploymentDetail({ status: 'running', finishedAt: null });
    const done = { ...running, status: 'succeeded' as const, finishedAt: new Date().toISOString() };
    let answers = 0;
    const { calls } = stubApi({
      '/api/v1/instance': { body: instanceFixture },
      [`/api/v1/deployments/${running.id}`]: () => {
        answers += 1;
        return { body: answers === 1 ? running : done };
      },
    });
    renderApp(`/deployments/${running.id}`);
    expect(
      await screen.findByText('Refreshing every few seconds until the deployment finishes.'),
    ).toBeInTheDocument();

    await act(() => vi.advanceTimersByTimeAsync(DEPLOYMENT_REFRESH_MS + 100));
    await waitFor(() =>
      expect(
        screen.queryByText('Refreshing every few seconds until the deployment finishes.'),
      ).not.toBeInTheDocument(),
    );
    // The deployment itself (its page also reads related resources under the same prefix).
    const fetched = () =>
      calls.filter((call) => call.split('?')[0] === `/api/v1/deployments/${running.id}`).length;
    expect(fetched()).toBe(2);

    await act(() => vi.advanceTimersByTimeAsync(DEPLOYMENT_REFRESH_MS * 4));
    expect(fetched()).toBe(2);
  });

  it('shows a not-found state when the API answers 404', async () => {
    const id = '00000000-0000-4000-8000-00000000dead';
    stubApi({
      '/api/v1/instance': { body: instanceFixture },
      [`/api/v1/deployments/${id}`]: {
        status: 404,
        body: { code: 'DEPLOYMENT_NOT_FOUND', message: `No deployment with id "${id}"` },
      },
    });
    renderApp(`/deployments/${id}`);
    expect(
      await screen.findByRole('heading', { level: 1, name: 'Deployment not found' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'No such deployment' })).toBeInTheDocument();
    expect(screen.getByText(id)).toBeInTheDocument();
  });
});
