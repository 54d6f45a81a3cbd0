import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { buildBoardFixture } from '../../test/fixtures/board';
import { instanceFixture, renderApp, stubApi } from '../../test/render-app';

describe('board states', () => {
  it('shows a skeleton while loading', async () => {
    stubApi({
      '/api/v1/board': { body: buildBoardFixture() },
      '/api/v1/instance': { body: instanceFixture },
    });
    renderApp('/');
    expect(await screen.findByText('Loading the board…')).toBeInTheDocument();
    expect(await screen.findByRole('grid')).toBeInTheDocument();
    expect(screen.queryByText('Loading the board…')).not.toBeInTheDocument();
  });

  it('shows the API error with its code and recovers on retry', async () => {
    let fail = true;
    stubApi({
      '/api/v1/instance': { body: instanceFixture },
      '/api/v1/board': () =>
        fail
          ? { status: 503, body: { code: 'DATABASE_UNAVAILABLE', message: 'The database is not reachable.' } }
          : { body: buildBoardFixture() },
    });
    renderApp('/');
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The board could not be loaded');
    expect(alert).toHaveTextContent('The database is not reachable.');
    expect(within(alert).getByText('DATABASE_UNAVAILABLE')).toBeInTheDocument();
    // The inline error state speaks for itself; no duplicate toast.
    expect(
      within(screen.getByRole('region', { name: 'Notifications' })).queryAllByRole('listitem'),
    ).toHaveLength(0);

    fail = false;
    await userEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('grid')).toBeInTheDocument();
  });

  it('explains how to add services when there are none', async () => {
    stubApi({
      '/api/v1/instance': { body: { ...instanceFixture, demo: false } },
      '/api/v1/board': { body: { environments: [], rows: [], generatedAt: new Date().toISOString() } },
    });
    renderApp('/');
    expect(await screen.findByRole('heading', { name: 'No services yet' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'API reference' })).toHaveAttribute('href', '/api/docs');
  });
});
