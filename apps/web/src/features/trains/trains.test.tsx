import { releaseTrainSchema, type Board, type ReleaseTrain } from '@flightdeck/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { buildBoardFixture } from '../../test/fixtures/board';
import { instanceFixture, renderApp, stubApi } from '../../test/render-app';
import { buildDeployment } from '../service/service-fixtures';

// The dialog's code loads on first use.
const LAZY = { timeout: 5_000 };

const TRAIN_ID = '00000000-0000-4000-8000-00000007a1a1';

function buildTrain(board: Board): ReleaseTrain {
  return releaseTrainSchema.parse({
    id: TRAIN_ID,
    environmentSlug: 'production',
    requestedBy: 'grace@example.com',
    reason: 'Weekly release',
    createdAt: new Date().toISOString(),
    deployments: [
      buildDeployment({
        serviceSlug: 'checkout-api',
        environmentSlug: 'production',
        status: 'running',
        finishedAt: null,
        trainId: TRAIN_ID,
        stageId: board.rows[0]!.cells[board.environments[0]!.id]!.stageId,
      }),
    ],
    skipped: [
      {
        serviceSlug: 'search',
        message: 'Nothing to promote: no newer release succeeded upstream.',
        gates: [],
      },
      {
        serviceSlug: 'notifier',
        message: 'Blocked: locked by bob.',
        gates: [{ kind: 'lock', state: 'fail', message: 'Locked by bob: incident.', until: null }],
      },
    ],
  });
}

function setup() {
  const board = buildBoardFixture();
  const train = buildTrain(board);
  const api = stubApi({
    '/api/v1/board': { body: board },
    '/api/v1/instance': { body: instanceFixture },
    'POST /api/v1/trains': { status: 201, body: train },
    [`/api/v1/trains/${TRAIN_ID}`]: { body: train },
  });
  const view = renderApp('/');
  return { board, train, ...api, ...view };
}

async function openTrainDialog() {
  await userEvent.click(await screen.findByRole('button', { name: 'Release train…' }));
  return screen.findByRole('dialog', { name: 'Release train' }, LAZY);
}

describe('release trains', () => {
  it('preselects the services with a release ready in the environment that has the most of them', async () => {
    setup();
    const dialog = await openTrainDialog();
    expect(within(dialog).getByLabelText('Target environment')).toHaveDisplayValue('Production');
    const boxes = within(dialog).getAllByRole('checkbox');
    expect(
      boxes.map((box) => [
        box.closest('label')!.querySelector('.train-service-name')!.textContent,
        (box as HTMLInputElement).checked,
      ]),
    ).toEqual([
      ['Checkout API', true],
      ['Search', false],
      ['Notifier', false],
    ]);
    expect(within(dialog).getByRole('checkbox', { name: 'Checkout API' })).toHaveAccessibleDescription(
      /v1\.4\.2.*v1\.5\.0 ready.*locked/,
    );

    // Another environment: its own preselection (nothing ready in Staging), and at least one is needed.
    await userEvent.selectOptions(within(dialog).getByLabelText('Target environment'), 'Staging');
    expect(
      within(dialog)
        .getAllByRole('checkbox')
        .every((box) => !(box as HTMLInputElement).checked),
    ).toBe(true);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Start train: 0 services to Staging' }));
    expect(within(dialog).getByText('Pick at least one service.')).toBeInTheDocument();
  });

  it('starts the train with an Idempotency-Key and shows each service’s deployment and the skipped ones', async () => {
    const { requests, router } = setup();
    const dialog = await openTrainDialog();
    await userEvent.click(within(dialog).getByRole('checkbox', { name: 'Notifier' }));
    await userEvent.type(within(dialog).getByLabelText('Reason (optional)'), 'Weekly release');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Start train: 2 services to Production' }),
    );

    await waitFor(() => expect(router.state.location.pathname).toBe(`/trains/${TRAIN_ID}`));
    const post = requests.find((request) => request.method === 'POST')!;
    expect(post.body).toEqual({
      environment: 'production',
      services: ['checkout-api', 'notifier'],
      reason: 'Weekly release',
    });
    expect(post.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);

    expect(
      await screen.findByRole('heading', { level: 1, name: 'Release train to production' }),
    ).toBeInTheDocument();
    const rows = within(screen.getByRole('table', { name: 'Train deployments' })).getAllByRole('row');
    expect(rows[1]).toHaveTextContent(/checkout-api.*v1\.5\.0.*Running.*View deployment/);
    const skipped = within(screen.getByRole('list', { name: 'Skipped services' }));
    expect(
      skipped.getByText(/Nothing to promote: no newer release succeeded upstream\./),
    ).toBeInTheDocument();
    expect(skipped.getByRole('list', { name: 'Gates for notifier' })).toHaveTextContent(
      'BlockedLockLocked by bob: incident.',
    );
    expect(screen.getByText('Updates live until every deployment finishes.')).toBeInTheDocument();
  });
});
