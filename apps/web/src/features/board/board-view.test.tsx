import { boardSchema } from '@flightdeck/contracts';
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { buildBoardFixture } from '../../test/fixtures/board';
import { instanceFixture, renderApp, stubApi } from '../../test/render-app';

function setup() {
  const board = buildBoardFixture();
  stubApi({ '/api/v1/board': { body: board }, '/api/v1/instance': { body: instanceFixture } });
  renderApp('/');
  return board;
}

async function cellFor(service: string, environment: string) {
  return within(await screen.findByRole('grid')).getByRole('gridcell', {
    name: new RegExp(`^${service} in ${environment}:`),
  });
}

describe('promotion board', () => {
  it('uses a fixture the API contract accepts', () => {
    expect(() => boardSchema.parse(buildBoardFixture())).not.toThrow();
  });

  it('shows environments as columns in promotion order and marks production', async () => {
    setup();
    const grid = await screen.findByRole('grid', { name: 'Promotion board' });
    const headers = within(grid)
      .getAllByRole('columnheader')
      .map((header) => header.textContent);
    expect(headers).toEqual(['Service', 'Dev', 'Staging', 'Production']);
    const production = within(grid).getAllByRole('columnheader')[3]!;
    expect(within(production).getByRole('img', { name: 'Production tier' })).toBeInTheDocument();
  });

  it('names the tier when the environment name does not', async () => {
    const board = buildBoardFixture();
    board.environments = board.environments.map((environment) =>
      environment.slug === 'staging' ? { ...environment, name: 'QA' } : environment,
    );
    stubApi({ '/api/v1/board': { body: board }, '/api/v1/instance': { body: instanceFixture } });
    renderApp('/');
    const grid = await screen.findByRole('grid');
    expect(within(grid).getAllByRole('columnheader')[2]).toHaveTextContent('QAStaging');
  });

  it('shows one row per service with name, slug and team', async () => {
    setup();
    const grid = await screen.findByRole('grid');
    const rowHeaders = within(grid).getAllByRole('rowheader');
    expect(rowHeaders.map((header) => header.querySelector('.service-name')?.textContent)).toEqual([
      'Checkout API',
      'Search',
      'Ledger',
      'Notifier',
    ]);
    expect(rowHeaders[0]).toHaveTextContent('checkout-api');
    expect(rowHeaders[0]).toHaveTextContent('payments');
  });

  it('labels deployment status and health with text, not colour alone', async () => {
    setup();
    const running = await cellFor('Search', 'Dev');
    expect(within(running).getByText('Running')).toBeInTheDocument();
    // The release in flight is named next to its status; what runs now stays the headline.
    expect(within(running).getByText('v2.1.0')).toBeInTheDocument();
    expect(within(running).getByText('v2.0.9')).toBeInTheDocument();
    expect(within(running).getByText('Progressing')).toBeInTheDocument();

    const failed = await cellFor('Search', 'Staging');
    expect(within(failed).getByText('Failed')).toBeInTheDocument();
    expect(within(failed).getByText('Degraded').closest('.status-pill')).toHaveAttribute(
      'title',
      '2 of 3 pods crash-looping',
    );
    expect(failed).toHaveAttribute('data-state', 'failed');

    const pending = await cellFor('Notifier', 'Production');
    expect(within(pending).getByText('Pending')).toBeInTheDocument();
    expect(within(pending).getByText('Rollback')).toBeInTheDocument();

    const healthy = await cellFor('Checkout API', 'Staging');
    expect(within(healthy).getByText('Succeeded')).toBeInTheDocument();
    expect(within(healthy).getByText('Healthy')).toBeInTheDocument();
    expect(within(healthy).getByText('abc1234')).toBeInTheDocument();
  });

  it('shows the age of what runs, with the full timestamp on hover', async () => {
    setup();
    const cell = await cellFor('Checkout API', 'Staging');
    const age = within(cell).getByText('3h ago');
    expect(age.tagName).toBe('TIME');
    expect(age.getAttribute('title')).toMatch(/^Deployed /);
  });

  it('marks a release waiting upstream and a locked stage', async () => {
    setup();
    const production = await cellFor('Checkout API', 'Production');
    expect(within(production).getByText(/ready from Staging/)).toHaveTextContent('v1.5.0 ready from Staging');
    expect(within(production).getByText(/Locked by alice/)).toHaveTextContent(
      'Locked by alice · Black Friday freeze',
    );
    expect(production).toHaveAccessibleName(
      /v1\.5\.0 ready from Staging, locked by alice: Black Friday freeze/,
    );
  });

  it('labels sandbox targets and distinguishes never deployed from no stage', async () => {
    setup();
    expect(within(await cellFor('Ledger', 'Dev')).getByText('sandbox')).toBeInTheDocument();
    expect(within(await cellFor('Ledger', 'Staging')).getByText('Never deployed')).toBeInTheDocument();
    const absent = await cellFor('Ledger', 'Production');
    expect(absent).toHaveTextContent('Not in this environment');
    expect(absent).toHaveAccessibleName('Ledger in Production: not deployed to this environment');
  });

  it('summarises the board', async () => {
    setup();
    await screen.findByRole('grid');
    const summary = screen.getByRole('status');
    expect(summary).toHaveTextContent('4 services·1 deploying·1 pending·1 failed·2 unhealthy·1 locked');
  });
});
