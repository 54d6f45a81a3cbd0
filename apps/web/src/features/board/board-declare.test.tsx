import { incidentSchema, type Board, type BoardCell, type Stage } from '@flightdeck/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { buildBoardFixture } from '../../test/fixtures/board';
import { buildAuthState, buildMe, fixtureId } from '../../test/fixtures/identity';
import { instanceFixture, renderApp, stubApi } from '../../test/render-app';

const severities = [
  {
    key: 'P1',
    rank: 0,
    name: 'Critical',
    description: '',
    expectedResponseMinutes: 5,
    freezesProduction: true,
  },
  {
    key: 'P2',
    rank: 1,
    name: 'High',
    description: '',
    expectedResponseMinutes: 15,
    freezesProduction: false,
  },
  { key: 'P3', rank: 2, name: 'Low', description: '', expectedResponseMinutes: 60, freezesProduction: false },
];

function cellOf(board: Board, service: string, environment: string): BoardCell {
  const env = board.environments.find((entry) => entry.slug === environment)!;
  return board.rows.find((row) => row.service.slug === service)!.cells[env.id]!;
}

// The declare dialog's stage picker lists every stage of the board.
function stagesOf(board: Board): Stage[] {
  return board.rows.flatMap((row) =>
    board.environments.flatMap((environment) => {
      const cell = row.cells[environment.id];
      if (!cell) return [];
      return [
        {
          id: cell.stageId,
          serviceId: row.service.id,
          serviceSlug: row.service.slug,
          environmentId: environment.id,
          environmentSlug: environment.slug,
          driverKind: cell.driverKind,
          soakSeconds: 0,
          deadlineSeconds: 600,
          autoPromote: false,
          upstreamStageIds: [],
        },
      ];
    }),
  );
}

function declared(stageIds: string[]) {
  const now = new Date().toISOString();
  return incidentSchema.parse({
    id: fixtureId(),
    number: 7,
    reference: 'INC-7',
    title: 'Search is slow',
    severity: severities[2],
    status: 'investigating',
    commander: null,
    declaredBy: 'grace@example.com',
    detectedAt: now,
    acknowledgedAt: null,
    identifiedAt: null,
    monitoringAt: null,
    resolvedAt: null,
    durationSeconds: 0,
    stages: stageIds.map((stageId) => ({
      stageId,
      serviceSlug: 'search',
      environmentSlug: 'dev',
      tier: 'development',
    })),
    freezingProduction: false,
    createdAt: now,
    summary: '',
    impact: '',
    rootCause: '',
    mttaSeconds: null,
    mttrSeconds: null,
    responseOverdue: false,
    nextStatuses: ['identified', 'monitoring', 'resolved'],
    actionItems: [],
    deployments: [],
  });
}

function setup(board: Board, role: 'admin' | 'viewer' = 'admin') {
  return stubApi({
    '/api/v1/board': { body: board },
    '/api/v1/instance': { body: instanceFixture },
    '/api/v1/auth/session': { body: buildAuthState({ user: buildMe(role) }) },
    '/api/v1/incident-severities': { body: { items: severities } },
    '/api/v1/stages': { body: { items: stagesOf(board) } },
    'POST /api/v1/incidents': (request) => ({
      status: 201,
      body: declared((request.body as { stageIds: string[] }).stageIds),
    }),
  });
}

async function gridCell(name: string) {
  return within(await screen.findByRole('grid')).getByRole('gridcell', { name: new RegExp(`^${name}:`) });
}

describe('declaring an incident from the board', () => {
  it('opens the declare dialog from a cell with its stage ticked and its recent deployment as suspect', async () => {
    const board = buildBoardFixture();
    const searchDev = cellOf(board, 'search', 'dev');
    const api = setup(board);
    const { router } = renderApp('/');

    const cell = await gridCell('Search in Dev');
    expect(cell).toHaveAttribute('aria-keyshortcuts', expect.stringContaining('I'));
    await userEvent.click(within(cell).getByRole('button', { name: 'Declare incident on Search in Dev…' }));

    const dialog = await screen.findByRole('dialog', { name: 'Declare an incident' });
    // A deployment started two minutes ago: linked as the suspect.
    expect(
      within(dialog).getByText(
        /search\/dev is affected and its last deployment \(v2\.1\.0\) is linked as a suspect/,
      ),
    ).toBeInTheDocument();
    expect(await within(dialog).findByRole('checkbox', { name: 'search/dev' })).toBeChecked();
    expect(within(dialog).getByRole('checkbox', { name: 'search/staging' })).not.toBeChecked();
    await userEvent.type(within(dialog).getByRole('textbox', { name: 'What is wrong' }), 'Search is slow');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Declare incident' }));

    await waitFor(() => expect(router.state.location.pathname).toMatch(/^\/incidents\//));
    const post = api.requests.find(
      (request) => request.method === 'POST' && request.path === '/api/v1/incidents',
    );
    expect(post?.body).toMatchObject({
      title: 'Search is slow',
      stageIds: [searchDev.stageId],
      deploymentId: searchDev.lastDeployment!.id,
    });
  });

  it('opens it with I on the focused cell, without a suspect when the last deployment is old', async () => {
    const board = buildBoardFixture();
    const checkoutProduction = cellOf(board, 'checkout-api', 'production');
    const api = setup(board);
    renderApp('/');

    const cell = await gridCell('Checkout API in Production');
    cell.focus();
    await userEvent.keyboard('i');
    const dialog = await screen.findByRole('dialog', { name: 'Declare an incident' });
    expect(
      within(dialog).getByText('From the board: checkout-api/production is affected.'),
    ).toBeInTheDocument();
    expect(await within(dialog).findByRole('checkbox', { name: 'checkout-api/production' })).toBeChecked();
    await userEvent.type(within(dialog).getByRole('textbox', { name: 'What is wrong' }), 'Checkout errors');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Declare incident' }));

    await waitFor(() =>
      expect(
        api.requests.some((request) => request.method === 'POST' && request.path === '/api/v1/incidents'),
      ).toBe(true),
    );
    const post = api.requests.find(
      (request) => request.method === 'POST' && request.path === '/api/v1/incidents',
    );
    expect(post?.body).toMatchObject({ stageIds: [checkoutProduction.stageId] });
    expect(post?.body).not.toHaveProperty('deploymentId');
  });

  it('is not offered to a viewer', async () => {
    setup(buildBoardFixture(), 'viewer');
    renderApp('/');

    const cell = await gridCell('Search in Dev');
    expect(within(cell).queryByRole('button', { name: /^Declare incident/ })).toBeNull();
    expect(cell.getAttribute('aria-keyshortcuts') ?? '').not.toContain('I');
    cell.focus();
    await userEvent.keyboard('i');
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
