import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { buildBoardFixture } from '../../test/fixtures/board';
import { instanceFixture, renderApp, stubApi } from '../../test/render-app';

describe('app shell', () => {
  it('shows navigation, the API link and what kind of instance this is', async () => {
    stubApi({
      '/api/v1/board': { body: buildBoardFixture() },
      '/api/v1/instance': { body: instanceFixture },
    });
    renderApp('/');
    const nav = await screen.findByRole('navigation', { name: 'Primary' });
    expect(nav).toHaveTextContent('Board');
    expect(screen.getByRole('link', { name: /API/ })).toHaveAttribute('href', '/api/docs');
    expect(await screen.findByText('Demo data')).toBeInTheDocument();
    expect(screen.getByText('Embedded database')).toBeInTheDocument();
  });

  it('hides the demo chip on a real instance', async () => {
    stubApi({
      '/api/v1/board': { body: buildBoardFixture() },
      '/api/v1/instance': { body: { ...instanceFixture, demo: false, database: 'external' } },
    });
    renderApp('/');
    expect(await screen.findByText('v0.1.0')).toBeInTheDocument();
    expect(screen.queryByText('Demo data')).not.toBeInTheDocument();
    expect(screen.queryByText('Embedded database')).not.toBeInTheDocument();
  });

  it('answers unknown routes with a 404 page that leads back to the board', async () => {
    stubApi({ '/api/v1/instance': { body: instanceFixture } });
    renderApp('/no-such-page/nope');
    expect(await screen.findByRole('heading', { name: 'This page does not exist' })).toBeInTheDocument();
    expect(screen.getByText('/no-such-page/nope')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Go to the board' })).toHaveAttribute('href', '/');
  });
});
