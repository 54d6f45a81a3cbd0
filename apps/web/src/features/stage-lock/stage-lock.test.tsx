import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { buildBoardFixture } from '../../test/fixtures/board';
import { buildAuthState, buildMe } from '../../test/fixtures/identity';
import { instanceFixture, renderApp, stubApi } from '../../test/render-app';

const LOCKED_AT = '2026-11-22T09:00:00.000Z';

function setup(replies: Parameters<typeof stubApi>[0] = {}, role: 'admin' | 'viewer' = 'admin') {
  const board = buildBoardFixture();
  const api = stubApi({
    '/api/v1/board': { body: board },
    '/api/v1/instance': { body: instanceFixture },
    '/api/v1/auth/session': { body: buildAuthState({ user: buildMe(role) }) },
    ...replies,
  });
  renderApp('/');
  const boardFetches = () => api.calls.filter((call) => call === '/api/v1/board').length;
  return { board, ...api, boardFetches };
}

async function cellFor(service: string, environment: string) {
  return within(await screen.findByRole('grid')).getByRole('gridcell', {
    name: new RegExp(`^${service} in ${environment}:`),
  });
}

// Checkout API in Staging is unlocked; Checkout API in Production is locked by alice.
function stageOf(board: ReturnType<typeof buildBoardFixture>, environmentSlug: string): string {
  const environment = board.environments.find((entry) => entry.slug === environmentSlug)!;
  return board.rows[0]!.cells[environment.id]!.stageId;
}

describe('locking a stage from the board', () => {
  it('locks with a reason and shows the lock on the board', async () => {
    const board = buildBoardFixture();
    const stageId = stageOf(board, 'staging');
    const staging = board.environments.find((entry) => entry.slug === 'staging')!;
    stubApi({
      '/api/v1/board': () => ({ body: board }),
      '/api/v1/instance': { body: instanceFixture },
      [`PUT /api/v1/stages/${stageId}/lock`]: (request) => {
        const lock = {
          by: 'Grace Hopper',
          reason: (request.body as { reason: string }).reason,
          at: LOCKED_AT,
        };
        board.rows[0]!.cells[staging.id]!.lock = lock;
        return { body: { stageId, lock } };
      },
    });
    renderApp('/');
    const cell = await cellFor('Checkout API', 'Staging');
    await userEvent.click(within(cell).getByRole('button', { name: 'Lock Checkout API in Staging…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Lock Checkout API in Staging' });
    await userEvent.type(within(dialog).getByLabelText('Reason'), 'Release freeze until Monday');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Lock stage' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(
      await within(await cellFor('Checkout API', 'Staging')).findByText(/Locked by Grace Hopper/),
    ).toHaveTextContent('Locked by Grace Hopper · Release freeze until Monday');
    expect(
      within(await cellFor('Checkout API', 'Staging')).getByRole('button', {
        name: 'Unlock Checkout API in Staging…',
      }),
    ).toBeInTheDocument();
  });

  it('sends the reason with the CSRF token and refetches the board', async () => {
    const board = buildBoardFixture();
    const stageId = stageOf(board, 'staging');
    const { requests, calls } = stubApi({
      '/api/v1/board': { body: board },
      '/api/v1/instance': { body: instanceFixture },
      [`PUT /api/v1/stages/${stageId}/lock`]: {
        body: { stageId, lock: { by: 'Grace Hopper', reason: 'Incident INC-142', at: LOCKED_AT } },
      },
    });
    renderApp('/');
    const cell = await cellFor('Checkout API', 'Staging');
    await userEvent.click(within(cell).getByRole('button', { name: /^Lock / }));
    await userEvent.type(screen.getByLabelText('Reason'), '  Incident INC-142 ');
    await userEvent.click(screen.getByRole('button', { name: 'Lock stage' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());

    const put = requests.find((request) => request.method === 'PUT')!;
    expect(put.path).toBe(`/api/v1/stages/${stageId}/lock`);
    expect(put.body).toEqual({ reason: 'Incident INC-142' });
    expect(put.headers['x-csrf-token']).toBe('csrf-token-1');
    await waitFor(() => expect(calls.filter((call) => call === '/api/v1/board')).toHaveLength(2));
  });

  it('asks for a reason of at least three characters before sending anything', async () => {
    const { requests } = setup();
    const cell = await cellFor('Checkout API', 'Staging');
    await userEvent.click(within(cell).getByRole('button', { name: /^Lock / }));
    await userEvent.type(screen.getByLabelText('Reason'), 'no');
    await userEvent.click(screen.getByRole('button', { name: 'Lock stage' }));
    expect(await screen.findByText('Say why, in a few words.')).toBeInTheDocument();
    expect(screen.getByLabelText('Reason')).toHaveAttribute('aria-invalid', 'true');
    expect(requests.some((request) => request.method === 'PUT')).toBe(false);
  });

  it('shows why the server refused (403)', async () => {
    const board = buildBoardFixture();
    const stageId = stageOf(board, 'staging');
    stubApi({
      '/api/v1/board': { body: board },
      '/api/v1/instance': { body: instanceFixture },
      [`PUT /api/v1/stages/${stageId}/lock`]: {
        status: 403,
        body: { code: 'FORBIDDEN', message: 'Only members of team payments can lock checkout-api.' },
      },
    });
    renderApp('/');
    const cell = await cellFor('Checkout API', 'Staging');
    await userEvent.click(within(cell).getByRole('button', { name: /^Lock / }));
    await userEvent.type(screen.getByLabelText('Reason'), 'Release freeze');
    await userEvent.click(screen.getByRole('button', { name: 'Lock stage' }));
    const dialog = screen.getByRole('dialog');
    expect(
      await within(dialog).findByText('Only members of team payments can lock checkout-api.'),
    ).toBeInTheDocument();
    expect(within(dialog).getByText('Not locked')).toBeInTheDocument();
    // No toast on top of the message in the dialog.
    expect(screen.queryByText('The change was not saved')).not.toBeInTheDocument();
  });

  it('unlocks after confirming, showing who locked it, why and when', async () => {
    const board = buildBoardFixture();
    const stageId = stageOf(board, 'production');
    const production = board.environments.find((entry) => entry.slug === 'production')!;
    const { requests } = stubApi({
      '/api/v1/board': () => ({ body: board }),
      '/api/v1/instance': { body: instanceFixture },
      [`DELETE /api/v1/stages/${stageId}/lock`]: () => {
        board.rows[0]!.cells[production.id]!.lock = null;
        return { body: { stageId, lock: null } };
      },
    });
    renderApp('/');
    const cell = await cellFor('Checkout API', 'Production');
    await userEvent.click(within(cell).getByRole('button', { name: 'Unlock Checkout API in Production…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Unlock Checkout API in Production?' });
    expect(within(dialog).getByText('alice')).toBeInTheDocument();
    expect(within(dialog).getByText('Black Friday freeze')).toBeInTheDocument();
    expect(within(dialog).getByText(/1h ago/)).toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Unlock' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(requests.find((request) => request.method === 'DELETE')?.path).toBe(
      `/api/v1/stages/${stageId}/lock`,
    );
    await waitFor(async () =>
      expect(within(await cellFor('Checkout API', 'Production')).queryByText(/Locked by/)).toBeNull(),
    );
  });

  it('shows a refused unlock in the dialog', async () => {
    const board = buildBoardFixture();
    const stageId = stageOf(board, 'production');
    stubApi({
      '/api/v1/board': { body: board },
      '/api/v1/instance': { body: instanceFixture },
      [`DELETE /api/v1/stages/${stageId}/lock`]: {
        status: 403,
        body: { code: 'FORBIDDEN', message: 'Deployers of team discovery cannot unlock checkout-api.' },
      },
    });
    renderApp('/');
    const cell = await cellFor('Checkout API', 'Production');
    await userEvent.click(within(cell).getByRole('button', { name: /^Unlock / }));
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Unlock' }));
    expect(
      await within(screen.getByRole('dialog')).findByText(
        'Deployers of team discovery cannot unlock checkout-api.',
      ),
    ).toBeInTheDocument();
  });

  it('opens the action with Enter on the focused cell, without leaving the grid’s one tab stop', async () => {
    setup();
    const grid = await screen.findByRole('grid');
    expect(grid.querySelectorAll('[tabindex="0"]')).toHaveLength(1);
    within(grid).getAllByRole('rowheader')[0]!.focus();
    await userEvent.keyboard('{ArrowRight}{ArrowRight}');
    expect(document.activeElement).toHaveAccessibleName(/^Checkout API in Staging:/);
    expect(document.activeElement).toHaveAccessibleDescription(
      'Press P to preview a promotion. Press Enter to lock or unlock this stage.',
    );
    await userEvent.keyboard('{Enter}');
    expect(await screen.findByRole('dialog', { name: 'Lock Checkout API in Staging' })).toBeInTheDocument();
    expect(screen.getByLabelText('Reason')).toHaveFocus();
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));

    await userEvent.keyboard('{ArrowRight}');
    within(grid)
      .getByRole('gridcell', { name: /^Checkout API in Production:/ })
      .focus();
    await userEvent.keyboard(' ');
    expect(
      await screen.findByRole('dialog', { name: 'Unlock Checkout API in Production?' }),
    ).toBeInTheDocument();
  });

  it('offers no lock action to someone who cannot deploy', async () => {
    setup({}, 'viewer');
    const grid = await screen.findByRole('grid');
    expect(within(grid).queryByRole('button', { name: /^(Lock|Unlock) / })).toBeNull();
    const cell = await cellFor('Checkout API', 'Staging');
    cell.focus();
    await userEvent.keyboard('{Enter}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    // The lock itself stays visible to everyone.
    expect(
      within(await cellFor('Checkout API', 'Production')).getByText(/Locked by alice/),
    ).toBeInTheDocument();
  });
});
