import {
  promotionPreviewSchema,
  releaseSchema,
  type Board,
  type PromotionPreview,
  type Release,
} from '@flightdeck/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { buildBoardFixture } from '../../test/fixtures/board';
import { buildAuthState, buildMe, fixtureId } from '../../test/fixtures/identity';
import { instanceFixture, renderApp, stubApi } from '../../test/render-app';

// The dialog's code loads on first use.
const LAZY = { timeout: 5_000 };

const SERVICE_ID = '00000000-0000-4000-a000-000000000001';

function release(version: string, sha: string, notes = ''): Release {
  return releaseSchema.parse({
    id: fixtureId(),
    serviceId: SERVICE_ID,
    serviceSlug: 'checkout-api',
    version,
    commitSha: sha.padEnd(40, '0'),
    artifactRef: null,
    notes,
    source: 'api',
    quarantine: null,
    createdAt: '2026-11-20T09:00:00.000Z',
  });
}

const v142 = release('v1.4.2', 'fed9876cba', 'Fix rounding in tax totals');
const v143 = release('v1.4.3', 'aaa1111bbb', 'Retry card tokenisation\nsecond line');
const v150 = release('v1.5.0', 'abc1234def', 'New checkout flow');

function productionStage(board: Board) {
  const production = board.environments.find((entry) => entry.slug === 'production')!;
  return board.rows[0]!.cells[production.id]!.stageId;
}

function buildPreview(stageId: string, patch: Partial<PromotionPreview> = {}): PromotionPreview {
  return promotionPreviewSchema.parse({
    stage: { id: stageId, serviceSlug: 'checkout-api', environmentSlug: 'production' },
    candidate: v150,
    current: v142,
    gates: [
      { kind: 'upstream', state: 'pass', message: 'v1.5.0 succeeded in Staging.', until: null },
      {
        kind: 'soak',
        state: 'waiting',
        message: 'v1.5.0 has soaked 20 of 30 minutes in Staging.',
        until: '2026-11-22T10:10:00.000Z',
      },
      { kind: 'lock', state: 'fail', message: 'Locked by alice: Black Friday freeze.', until: null },
      { kind: 'freeze', state: 'pass', message: 'No freeze is on.', until: null },
    ],
    ready: false,
    summary: 'Blocked: locked by alice (Black Friday freeze).',
    changes: { direction: 'forward', releases: [v143, v150] },
    ...patch,
  });
}

function setup(replies: Parameters<typeof stubApi>[0] = {}, role: 'admin' | 'viewer' = 'admin') {
  const board = buildBoardFixture();
  const stageId = productionStage(board);
  const api = stubApi({
    '/api/v1/board': { body: board },
    '/api/v1/instance': { body: instanceFixture },
    '/api/v1/auth/session': { body: buildAuthState({ user: buildMe(role) }) },
    '/api/v1/releases': { body: { items: [v150, v143, v142], nextCursor: null } },
    [`/api/v1/stages/${stageId}/preview`]: { body: buildPreview(stageId) },
    ...replies,
  });
  renderApp('/');
  return { board, stageId, ...api };
}

async function openPreview() {
  const grid = await screen.findByRole('grid');
  const cell = within(grid).getByRole('gridcell', { name: /^Checkout API in Production:/ });
  await userEvent.click(
    within(cell).getByRole('button', { name: 'Preview promotion of Checkout API to Production…' }),
  );
  return screen.findByRole('dialog', { name: 'Promote Checkout API to Production' }, LAZY);
}

describe('promotion preview from the board', () => {
  it('shows the summary, failing gates first, and the releases it moves through', async () => {
    setup();
    const dialog = await openPreview();
    expect(await within(dialog).findByRole('status')).toHaveTextContent(
      'Blocked: locked by alice (Black Friday freeze).',
    );
    const gates = within(within(dialog).getByRole('list', { name: 'Gates' })).getAllByRole('listitem');
    expect(gates.map((gate) => gate.textContent)).toEqual([
      'BlockedLockLocked by alice: Black Friday freeze.',
      expect.stringMatching(/^WaitingSoak timev1\.5\.0 has soaked 20 of 30 minutes in Staging\. \(until /),
      'PassedUpstreamv1.5.0 succeeded in Staging.',
      'PassedFreezeNo freeze is on.',
    ]);
    expect(within(dialog).getByText('Moves forward through 2 releases:')).toBeInTheDocument();
    const rows = within(within(dialog).getByRole('table', { name: 'Releases deployed' })).getAllByRole('row');
    expect(rows[1]).toHaveTextContent('v1.4.3aaa1111Retry card tokenisation');
    expect(rows[2]).toHaveTextContent('v1.5.0abc1234New checkout flow');
    expect(within(dialog).getByText('Running now').parentElement).toHaveTextContent('v1.4.2');
    expect(within(dialog).getByText('Candidate').parentElement).toHaveTextContent('v1.5.0');
    // A failing gate disables the action, and the sentence saying why is text, not only a tooltip.
    const deploy = within(dialog).getByRole('button', { name: 'Deploy v1.5.0 to Production' });
    expect(deploy).toBeDisabled();
    expect(deploy).toHaveAccessibleDescription('Blocked: locked by alice (Black Friday freeze).');
  });

  it('says when a promotion is ready and when it is only waiting', async () => {
    const board = buildBoardFixture();
    const stageId = productionStage(board);
    let reply = buildPreview(stageId, {
      ready: true,
      summary: 'Deploy v1.5.0 to production: 2 releases forward',
      gates: [{ kind: 'upstream', state: 'pass', message: 'v1.5.0 succeeded in Staging.', until: null }],
    });
    stubApi({
      '/api/v1/board': { body: board },
      '/api/v1/instance': { body: instanceFixture },
      '/api/v1/releases': { body: { items: [], nextCursor: null } },
      [`/api/v1/stages/${stageId}/preview`]: () => ({ body: reply }),
    });
    const { queryClient } = renderApp('/');
    let dialog = await openPreview();
    const status = await within(dialog).findByRole('status');
    expect(status).toHaveTextContent('Deploy v1.5.0 to production: 2 releases forward');
    expect(status).toHaveAttribute('data-tone', 'success');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Close' }));

    reply = buildPreview(stageId, {
      summary: 'Waiting: v1.5.0 soaks in Staging until 10:10.',
      gates: [{ kind: 'soak', state: 'waiting', message: 'Soaking.', until: null }],
    });
    queryClient.removeQueries({ queryKey: ['board', 'preview'] });
    dialog = await openPreview();
    await waitFor(() =>
      expect(within(dialog).getByRole('status')).toHaveTextContent('Waiting: v1.5.0 soaks in Staging'),
    );
    expect(within(dialog).getByRole('status')).toHaveAttribute('data-tone', 'warning');
  });

  it('previews another release picked from the service’s recent ones, e.g. a rollback target', async () => {
    const board = buildBoardFixture();
    const stageId = productionStage(board);
    const { calls } = stubApi({
      '/api/v1/board': { body: board },
      '/api/v1/instance': { body: instanceFixture },
      '/api/v1/releases': { body: { items: [v150, v143, v142], nextCursor: null } },
      [`/api/v1/stages/${stageId}/preview`]: (request) =>
        request.search.includes(v142.id)
          ? {
              body: buildPreview(stageId, {
                candidate: v142,
                current: v143,
                ready: true,
                gates: [],
                summary: 'Deploy v1.4.2 to production: 1 release back',
                changes: { direction: 'backward', releases: [v143] },
              }),
            }
          : { body: buildPreview(stageId) },
    });
    renderApp('/');
    const dialog = await openPreview();
    await within(dialog).findByRole('status');
    expect(calls).toContain('/api/v1/releases?service=checkout-api&limit=20');
    const picker = within(dialog).getByLabelText('Release');
    await waitFor(() => expect(within(picker).getAllByRole('option')).toHaveLength(4));
    await userEvent.selectOptions(picker, v142.id);

    await waitFor(() =>
      expect(within(dialog).getByRole('status')).toHaveTextContent('Deploy v1.4.2 to production'),
    );
    expect(calls).toContain(`/api/v1/stages/${stageId}/preview?release=${v142.id}`);
    expect(within(dialog).getByText('Reverts 1 release:')).toBeInTheDocument();
    expect(within(dialog).getByRole('table', { name: 'Releases reverted' })).toHaveTextContent('v1.4.3');
    expect(within(dialog).getByRole('button', { name: 'Roll back to v1.4.2' })).toBeEnabled();
  });

  it('opens from the “ready” marker and with P on a focused cell, for viewers too', async () => {
    setup({}, 'viewer');
    const grid = await screen.findByRole('grid');
    const cell = within(grid).getByRole('gridcell', { name: /^Checkout API in Production:/ });
    await userEvent.click(within(cell).getByRole('button', { name: /v1\.5\.0 ready from Staging/ }));
    const dialog = await screen.findByRole('dialog', { name: 'Promote Checkout API to Production' }, LAZY);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Close' }));

    cell.focus();
    expect(cell).toHaveAccessibleDescription('Press P to preview a promotion.');
    await userEvent.keyboard('p');
    expect(
      await screen.findByRole('dialog', { name: 'Promote Checkout API to Production' }, LAZY),
    ).toBeInTheDocument();
  });
});
