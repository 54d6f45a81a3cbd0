import type { BoardCell } from '@flightdeck/contracts';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { boardCell, buildBoardFixture } from '../../test/fixtures/board';
import { instanceFixture, renderApp, stubApi } from '../../test/render-app';
import { DEPLOYMENT_STATUS_META, HEALTH_STATUS_META } from '../status/status-meta';
import { BoardStatusIcon } from './board-icons';
import { cellHeight, CELL_PX } from './board-row-height';

const plain = boardCell({ id: '00000000-0000-4000-8000-000000000002' });

describe('a board cell’s height', () => {
  it('is the sum of the parts it shows', () => {
    const { padding, gap, head, status, meta, marker } = CELL_PX;
    expect(cellHeight(plain)).toBe(2 * padding + head);
    const running = {
      ...plain,
      current: { id: 'r', version: '1.0.0', commitSha: 'a'.repeat(40), createdAt: '2026-11-01T00:00:00Z' },
      deployedAt: '2026-11-01T00:00:00Z',
      health: 'healthy',
    } satisfies BoardCell;
    expect(cellHeight(running)).toBe(2 * padding + head + status + meta + 2 * gap);
    const locked = { ...running, lock: { by: 'alice', reason: 'freeze', at: '2026-11-01T00:00:00Z' } };
    expect(cellHeight(locked)).toBe(cellHeight(running) + marker + gap);
    expect(cellHeight(undefined)).toBe(CELL_PX.absent);
  });
});

describe('a board cell’s actions', () => {
  it('render no tooltip per action: the board shows one on hover and Escape hides it', async () => {
    stubApi({
      '/api/v1/board': { body: buildBoardFixture() },
      '/api/v1/instance': { body: instanceFixture },
    });
    renderApp('/');
    const grid = await screen.findByRole('grid', { name: 'Promotion board' });
    const cell = await within(grid).findByRole('gridcell', { name: /^Search in Production:/ });
    expect(cell.querySelector('.tooltip-trigger')).toBeNull();
    expect(screen.queryByRole('tooltip')).toBeNull();

    // Each icon is drawn with its paths, a copy per icon.
    const rollback = within(cell).getByRole('button', { name: 'Roll back Search in Production…' });
    expect(rollback.querySelectorAll('svg.board-icon > path')).toHaveLength(2);
    const lockIcon = within(cell)
      .getByRole('button', { name: 'Lock Search in Production…' })
      .querySelector('svg')!;
    expect(lockIcon.querySelector('rect')).not.toBeNull();

    await userEvent.hover(within(cell).getByRole('button', { name: 'Roll back Search in Production…' }));
    expect(await screen.findByRole('tooltip')).toHaveTextContent('Roll back…');
    await userEvent.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('tooltip')).toBeNull());

    await userEvent.hover(
      within(cell).getByRole('link', { name: 'View deployment of Search in Production' }),
    );
    expect(await screen.findByRole('tooltip')).toHaveTextContent('View deployment');
    await userEvent.unhover(
      within(cell).getByRole('link', { name: 'View deployment of Search in Production' }),
    );
    await waitFor(() => expect(screen.queryByRole('tooltip')).toBeNull());
  }, 30_000);
});

describe('a board cell’s status icons', () => {
  it('draws every deployment status and health with the board’s own icons', () => {
    for (const meta of [...Object.values(DEPLOYMENT_STATUS_META), ...Object.values(HEALTH_STATUS_META)]) {
      const { container, unmount } = render(<BoardStatusIcon Icon={meta.Icon} className="status-icon" />);
      const icon = container.querySelector('svg')!;
      expect(icon, meta.label).toHaveClass('board-icon');
      expect(icon.childNodes.length, meta.label).toBeGreaterThan(0);
      unmount();
    }
  });
});
