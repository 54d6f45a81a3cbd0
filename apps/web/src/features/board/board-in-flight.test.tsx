import type { Board } from '@flightdeck/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { buildBoardFixture } from '../../test/fixtures/board';
import { instanceFixture, renderApp, stubApi } from '../../test/render-app';
import { buildDeploymentDetail } from '../service/service-fixtures';

function cellOf(board: Board, service: string, environment: string) {
  const env = board.environments.find((entry) => entry.slug === environment)!;
  return board.rows.find((row) => row.service.slug === service)!.cells[env.id]!;
}

async function gridCell(name: string) {
  return within(await screen.findByRole('grid')).getByRole('gridcell', { name: new RegExp(`^${name}:`) });
}

describe('deployments in flight on the board', () => {
  it('shows a running deployment with its target version, a busy bar and a link to its page', async () => {
    const board = buildBoardFixture();
    const running = cellOf(board, 'search', 'dev').lastDeployment!;
    stubApi({ '/api/v1/board': { body: board }, '/api/v1/instance': { body: instanceFixture } });
    renderApp('/');

    const cell = await gridCell('Search in Dev');
    expect(within(cell).getByText('Running').parentElement).toHaveTextContent('Runningv2.1.0');
    expect(cell).toHaveAccessibleName(/promotion of v2\.1\.0 running/);
    expect(cell.querySelector('.cell[data-flight="running"] .cell-progress')).not.toBeNull();
    expect(within(cell).getByRole('link', { name: 'View deployment of Search in Dev' })).toHaveAttribute(
      'href',
      `/deployments/${running.id}`,
    );
    // Finished deployments show no busy bar.
    const staging = await gridCell('Search in Staging');
    expect(staging.querySelector('.cell-progress')).toBeNull();
  });

  it('says what a pending deployment waits for, from its gates', async () => {
    const board = buildBoardFixture();
    const pending = cellOf(board, 'notifier', 'production').lastDeployment!;
    stubApi({
      '/api/v1/board': { body: board },
      '/api/v1/instance': { body: instanceFixture },
      [`/api/v1/deployments/${pending.id}`]: {
        body: buildDeploymentDetail({
          id: pending.id,
          status: 'pending',
          kind: 'rollback',
          finishedAt: null,
          gates: [
            { kind: 'upstream', state: 'pass', message: 'v3.1.0 succeeded in Staging.', until: null },
            { kind: 'busy', state: 'waiting', message: 'v3.2.1 is deploying there now.', until: null },
          ],
        }),
      },
    });
    renderApp('/');
    const cell = await gridCell('Notifier in Production');
    expect(await within(cell).findByText('Waiting: v3.2.1 is deploying there now.')).toBeInTheDocument();
    expect(within(cell).getByText('Pending')).toBeInTheDocument();
    expect(cell).toHaveAccessibleName(/waiting: v3\.2\.1 is deploying there now\./);
  });

  it('opens the last deployment with D on the focused cell', async () => {
    const board = buildBoardFixture();
    const running = cellOf(board, 'search', 'dev').lastDeployment!;
    stubApi({ '/api/v1/board': { body: board }, '/api/v1/instance': { body: instanceFixture } });
    const { router } = renderApp('/');
    const cell = await gridCell('Search in Dev');
    expect(cell).toHaveAttribute('aria-keyshortcuts', expect.stringContaining('D'));
    cell.focus();
    await userEvent.keyboard('d');
    await waitFor(() => expect(router.state.location.pathname).toBe(`/deployments/${running.id}`));
  });

  it('flags a break-glass deployment', async () => {
    const board = buildBoardFixture();
    const cell = cellOf(board, 'search', 'dev');
    cell.lastDeployment = { ...cell.lastDeployment!, breakGlass: true };
    stubApi({ '/api/v1/board': { body: board }, '/api/v1/instance': { body: instanceFixture } });
    renderApp('/');
    const gridcell = await gridCell('Search in Dev');
    expect(within(gridcell).getByText('Break glass')).toBeInTheDocument();
    expect(gridcell).toHaveAccessibleName(/break glass/);
  });
});
