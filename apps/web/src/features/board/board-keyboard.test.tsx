import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { buildBoardFixture } from '../../test/fixtures/board';
import { instanceFixture, renderApp, stubApi } from '../../test/render-app';

describe('board keyboard navigation', () => {
  it('enters the grid with one Tab stop and moves between cells with arrow keys', async () => {
    stubApi({
      '/api/v1/board': { body: buildBoardFixture() },
      '/api/v1/instance': { body: instanceFixture },
    });
    renderApp('/');
    const grid = await screen.findByRole('grid');
    const focusable = grid.querySelectorAll('[tabindex="0"]');
    expect(focusable).toHaveLength(1);

    const firstRowHeader = within(grid).getAllByRole('rowheader')[0]!;
    firstRowHeader.focus();
    await userEvent.keyboard('{ArrowRight}');
    expect(document.activeElement).toHaveAccessibleName(/^Checkout API in Dev:/);
    await userEvent.keyboard('{ArrowDown}');
    expect(document.activeElement).toHaveAccessibleName(/^Search in Dev:/);
    await userEvent.keyboard('{End}');
    expect(document.activeElement).toHaveAccessibleName(/^Search in Production:/);
    await userEvent.keyboard('{Control>}{End}{/Control}');
    expect(document.activeElement).toHaveAccessibleName(/^Notifier in Production:/);
    await userEvent.keyboard('{Home}');
    expect(document.activeElement).toBe(within(grid).getAllByRole('rowheader')[3]);
    // The roving tab stop follows focus.
    expect(grid.querySelectorAll('[tabindex="0"]')).toHaveLength(1);
    expect(document.activeElement).toHaveAttribute('tabindex', '0');
  });

  it('opens a service page from its row, by link or by Enter on the focused row header', async () => {
    stubApi({
      '/api/v1/board': { body: buildBoardFixture() },
      '/api/v1/instance': { body: instanceFixture },
    });
    const { router } = renderApp('/');
    const grid = await screen.findByRole('grid');
    const firstRowHeader = within(grid).getAllByRole('rowheader')[0]!;
    const link = within(firstRowHeader).getByRole('link', { name: 'Checkout API' });
    expect(link).toHaveAttribute('href', '/services/checkout-api');
    // The link stays out of the Tab order: the grid keeps a single tab stop.
    expect(link).toHaveAttribute('tabindex', '-1');
    firstRowHeader.focus();
    await userEvent.keyboard('{Enter}');
    expect(router.state.location.pathname).toBe('/services/checkout-api');
  });
});
