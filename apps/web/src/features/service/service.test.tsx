import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { instanceFixture, renderApp, stubApi, type RecordedRequest } from '../../test/render-app';
import { buildDeployment, buildServiceFixtures } from './service-fixtures';

function setup(options: { serviceStatus?: number } = {}) {
  const data = buildServiceFixtures();
  const [newest, middle, oldest] = data.releases;
  const stagingFailed = buildDeployment({
    environmentSlug: 'staging',
    status: 'failed',
    error: 'Readiness probe failed',
    reason: 'Ship it',
  });
  const stagingOk = buildDeployment({ environmentSlug: 'staging', requestedBy: 'Grace Hopper' });
  const stagingOlder = buildDeployment({ environmentSlug: 'staging', reason: 'An older one' });
  const stub = stubApi({
    '/api/v1/instance': { body: instanceFixture },
    '/api/v1/services/checkout-api':
      options.serviceStatus === 404
        ? { status: 404, body: { code: 'SERVICE_NOT_FOUND', message: 'No service "checkout-api"' } }
        : { body: data.service },
    '/api/v1/environments': { body: { items: data.environments } },
    '/api/v1/stages': { body: { items: data.stages } },
    '/api/v1/board': { body: data.board },
    '/api/v1/releases': (request: RecordedRequest) =>
      new URLSearchParams(request.search).get('cursor') === 'r2'
        ? { body: { items: [oldest], nextCursor: null } }
        : { body: { items: [newest, middle], nextCursor: 'r2' } },
    '/api/v1/deployments': (request: RecordedRequest) => {
      const search = new URLSearchParams(request.search);
      if (search.get('environment') !== 'staging') return { body: { items: [], nextCursor: null } };
      return search.get('cursor') === 'd2'
        ? { body: { items: [stagingOlder], nextCursor: null } }
        : { body: { items: [stagingFailed, stagingOk], nextCursor: 'd2' } };
    },
  });
  return { ...stub, ...renderApp('/services/checkout-api'), data, stagingFailed };
}

describe('service page', () => {
  it('shows the header with the repository link', async () => {
    setup();
    expect(await screen.findByRole('heading', { level: 1, name: 'Checkout API' })).toBeInTheDocument();
    expect(screen.getByText('Takes payments and turns carts into orders.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /acme\/checkout/ })).toHaveAttribute(
      'href',
      'https://github.com/acme/checkout',
    );
  });

  it('draws the pipeline: nodes in environment order, edges from upstreams', async () => {
    const { container, requests } = setup();
    const pipeline = await screen.findByRole('list', { name: 'Promotion pipeline' });
    const nodes = within(pipeline).getAllByRole('article');
    expect(nodes.map((node) => node.getAttribute('aria-label'))).toEqual([
      'Dev stage',
      'QA stage',
      'Staging stage',
      'Production stage',
    ]);
    const edges = [...container.querySelectorAll('path.pipeline-edge')].map(
      (edge) => `${edge.getAttribute('data-from')}→${edge.getAttribute('data-to')}`,
    );
    expect(edges.sort()).toEqual(['dev→qa', 'dev→staging', 'qa→production', 'staging→production']);
    expect(nodes[3]).toHaveTextContent('Promotes from QA, Staging.');
    expect(nodes[0]).toHaveTextContent('Entry stage');
    // The sandbox driver is labelled; what runs there comes from the board row of this service.
    expect(within(nodes[0]!).getByText('Sandbox')).toBeInTheDocument();
    await waitFor(() => expect(nodes[2]).toHaveTextContent('v1.4.2'));
    expect(within(nodes[2]!).getByText('Healthy')).toBeInTheDocument();
    expect(within(nodes[2]!).getByText('Succeeded')).toBeInTheDocument();
    expect(requests.find((request) => request.path === '/api/v1/board')?.search).toBe('?q=checkout-api');
  });

  it('lists releases with badges where each runs now, and loads more', async () => {
    setup();
    const table = await screen.findByRole('table', { name: 'Releases' });
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(3));
    const [, newest, middle] = within(table).getAllByRole('row');
    await waitFor(() => expect(within(newest!).getByText('Dev')).toBeInTheDocument());
    expect(within(newest!).getByText('QA')).toBeInTheDocument();
    expect(within(newest!).queryByText('Production')).not.toBeInTheDocument();
    expect(newest).toHaveTextContent('abc1234');
    expect(newest).toHaveTextContent('Faster checkout');
    expect(within(middle!).getByText('Staging')).toBeInTheDocument();
    expect(within(middle!).getByText('Production')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Load more releases' }));
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(4));
    expect(screen.queryByRole('button', { name: 'Load more releases' })).not.toBeInTheDocument();
  });

  it('shows per-environment history with links to each deployment', async () => {
    const { stagingFailed } = setup();
    const staging = await screen.findByRole('table', { name: 'Staging deployments' });
    await waitFor(() => expect(within(staging).getAllByRole('row')).toHaveLength(3));
    const [, failed, ok] = within(staging).getAllByRole('row');
    expect(failed).toHaveTextContent('Failed');
    expect(failed).toHaveTextContent('Readiness probe failed');
    expect(failed).toHaveTextContent('Promotion');
    expect(within(failed!).getByRole('link')).toHaveAttribute('href', `/deployments/${stagingFailed.id}`);
    expect(ok).toHaveTextContent('Grace Hopper');
    expect(ok).toHaveTextContent('4m 00s');

    expect(await screen.findByText('Nothing deployed to Production yet')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Load more Staging deployments' }));
    await waitFor(() => expect(within(staging).getAllByRole('row')).toHaveLength(4));
  });

  it('shows a not-found state when the API answers 404', async () => {
    setup({ serviceStatus: 404 });
    expect(await screen.findByRole('heading', { level: 1, name: 'Service not found' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'No service named checkout-api' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Go to the board' })).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });
});
