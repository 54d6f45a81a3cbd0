import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { buildBoardFixture } from '../../test/fixtures/board';
import { instanceFixture, renderApp, stubApi } from '../../test/render-app';

function setup(url = '/') {
  stubApi({ '/api/v1/board': { body: buildBoardFixture() }, '/api/v1/instance': { body: instanceFixture } });
  return renderApp(url);
}

async function serviceNames() {
  const grid = await screen.findByRole('grid');
  return within(grid)
    .getAllByRole('rowheader')
    .map((header) => header.querySelector('.service-name')?.textContent);
}

describe('board filters', () => {
  it('narrows rows by name or slug and writes ?q= to the URL', async () => {
    const { router } = setup();
    await screen.findByRole('grid');
    await userEvent.type(screen.getByRole('searchbox', { name: /filter services/i }), 'checkout-');
    expect(await serviceNames()).toEqual(['Checkout API']);
    expect(router.state.location.search).toBe('?q=checkout-');
    expect(screen.getByRole('status')).toHaveTextContent('1 of 4 services');
  });

  it('narrows rows by team and writes ?team= to the URL', async () => {
    const { router } = setup();
    await screen.findByRole('grid');
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Team' }), 'payments');
    expect(await serviceNames()).toEqual(['Checkout API', 'Ledger']);
    expect(router.state.location.search).toBe('?team=payments');
  });

  it('offers services without a team', async () => {
    setup();
    await screen.findByRole('grid');
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Team' }), 'No team');
    expect(await serviceNames()).toEqual(['Notifier']);
  });

  it('applies filters from the URL on load', async () => {
    setup('/?team=discovery');
    expect(await serviceNames()).toEqual(['Search']);
    expect(screen.getByRole('combobox', { name: 'Team' })).toHaveValue('discovery');
  });

  it('shows an empty state when nothing matches and clears back to everything', async () => {
    const { router } = setup('/?q=nothing-like-this&team=payments');
    expect(await screen.findByText('No services match these filters')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(async () => expect(await serviceNames()).toHaveLength(4));
    expect(router.state.location.search).toBe('');
  });
});
