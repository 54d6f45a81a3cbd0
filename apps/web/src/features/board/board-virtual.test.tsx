import type { Board } from '@flightdeck/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildBoardFixture } from '../../test/fixtures/board';
import { instanceFixture, renderApp, stubApi } from '../../test/render-app';
import { sortEnvironments } from './board-model';
import { rowHeight } from './board-row-height';

const SERVICES = 300;

// The fixture's rows again and again, each copy a service of its own.
function bigBoard(): Board {
  const board = buildBoardFixture();
  const rows = Array.from({ length: SERVICES }, (_, n) => {
    const row = board.rows[n % board.rows.length]!;
    const suffix = String(n).padStart(3, '0');
    const cells = Object.fromEntries(
      Object.entries(row.cells).map(([environmentId, cell], e) => [
        environmentId,
        cell.lastDeployment
          ? {
              ...cell,
              lastDeployment: {
                ...cell.lastDeployment,
                id: `00000000-0000-4000-a${e}00-${String(n).padStart(12, '0')}`,
              },
            }
          : cell,
      ]),
    );
    return {
      ...row,
      cells,
      service: {
        ...row.service,
        id: `00000000-0000-4000-9000-${String(n).padStart(12, '0')}`,
        slug: `${row.service.slug}-${suffix}`,
        name: `${row.service.name} ${suffix}`,
      },
    };
  });
  return { ...board, rows };
}

// jsdom has no layout: the board's scroll area gets a real screen's size.
function sizeTheScrollArea() {
  const sized = (size: number) =>
    function (this: HTMLElement) {
      return this.classList.contains('board-scroll') ? size : 0;
    };
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockImplementation(sized(900));
  vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockImplementation(sized(1440));
}

describe('a board of hundreds of services', () => {
  afterEach(() => vi.restoreAllMocks());

  it('renders only the rows in view, keeps the row count for assistive tech, and asks only them why they wait', async () => {
    sizeTheScrollArea();
    const board = bigBoard();
    const pendingOnBoard = board.rows.filter((row) =>
      Object.values(row.cells).some((cell) => cell.lastDeployment?.status === 'pending'),
    ).length;
    const api = stubApi({ '/api/v1/board': { body: board }, '/api/v1/instance': { body: instanceFixture } });
    renderApp('/');

    const grid = await screen.findByRole('grid', { name: 'Promotion board' });
    await waitFor(() => expect(within(grid).getAllByRole('rowheader').length).toBeGreaterThan(0));
    const rendered = within(grid).getAllByRole('rowheader');
    expect(rendered.length).toBeLessThan(40);
    expect(grid).toHaveAttribute('aria-rowcount', String(SERVICES + 1));
    expect(rendered[0]!.closest('tr')).toHaveAttribute('aria-rowindex', '2');
    // One Tab stop still.
    expect(grid.querySelectorAll('[tabindex="0"]')).toHaveLength(1);

    const deploymentReads = api.calls.filter((call) => call.startsWith('/api/v1/deployments/'));
    expect(pendingOnBoard).toBeGreaterThan(rendered.length);
    expect(deploymentReads.length).toBeLessThanOrEqual(rendered.length);
  }, 30_000);

  it('lays rows out at the heights their data gives them, without measuring a row', async () => {
    sizeTheScrollArea();
    const rects = vi.spyOn(Element.prototype, 'getBoundingClientRect');
    const board = bigBoard();
    stubApi({ '/api/v1/board': { body: board }, '/api/v1/instance': { body: instanceFixture } });
    renderApp('/');

    const grid = await screen.findByRole('grid', { name: 'Promotion board' });
    await waitFor(() => expect(within(grid).getAllByRole('rowheader').length).toBeGreaterThan(0));
    const environments = sortEnvironments(board.environments);
    const heights = board.rows.map((row) => rowHeight(row, environments));
    // The fixture has rows of different heights (a lock and a release waiting make a row taller).
    expect(new Set(heights).size).toBeGreaterThan(1);
    const rows = [...grid.querySelectorAll<HTMLTableRowElement>('tbody tr[aria-rowindex]')];
    for (const row of rows) {
      const index = Number(row.getAttribute('aria-rowindex')) - 2;
      expect(row.style.getPropertyValue('--row-height')).toBe(`${heights[index]}px`);
    }
    // The space below the rendered rows is exactly the rows not rendered.
    const lastIndex = Number(rows.at(-1)!.getAttribute('aria-rowindex')) - 2;
    const below = heights.slice(lastIndex + 1).reduce((sum, height) => sum + height, 0);
    const spacers = grid.querySelectorAll<HTMLTableCellElement>('tr.board-spacer td');
    expect(spacers[spacers.length - 1]!.style.height).toBe(`${below}px`);
    expect(rects.mock.contexts.filter((element) => (element as Element).matches('tr'))).toEqual([]);
  }, 30_000);
});
