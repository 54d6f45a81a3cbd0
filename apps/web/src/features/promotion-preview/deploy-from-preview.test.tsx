import {
  deploymentSchema,
  promotionPreviewSchema,
  releaseSchema,
  type Board,
  type Deployment,
  type PromotionPreview,
  type Release,
  type Role,
} from '@flightdeck/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { buildBoardFixture } from '../../test/fixtures/board';
import { buildAuthState, buildMe, fixtureId } from '../../test/fixtures/identity';
import { instanceFixture, renderApp, stubApi, type RecordedRequest } from '../../test/render-app';

// The dialog's code loads on first use.
const LAZY = { timeout: 5_000 };

function release(version: string, sha: string): Release {
  return releaseSchema.parse({
    id: fixtureId(),
    serviceId: fixtureId(),
    serviceSlug: 'checkout-api',
    version,
    commitSha: sha.padEnd(40, '0'),
    artifactRef: null,
    notes: '',
    source: 'api',
    quarantine: null,
    createdAt: '2026-11-20T09:00:00.000Z',
  });
}

const v142 = release('v1.4.2', 'fed9876cba');
const v150 = release('v1.5.0', 'abc1234def');

const LOCK_FAILS = {
  kind: 'lock',
  state: 'fail',
  message: 'Locked by alice: Black Friday freeze.',
  until: null,
} as const;

function productionStage(board: Board) {
  const production = board.environments.find((entry) => entry.slug === 'production')!;
  return board.rows[0]!.cells[production.id]!.stageId;
}

function readyPreview(stageId: string, patch: Partial<PromotionPreview> = {}): PromotionPreview {
  return promotionPreviewSchema.parse({
    stage: { id: stageId, serviceSlug: 'checkout-api', environmentSlug: 'production' },
    candidate: v150,
    current: v142,
    gates: [{ kind: 'upstream', state: 'pass', message: 'v1.5.0 succeeded in Staging.', until: null }],
    ready: true,
    summary: 'Deploy v1.5.0 to production: 1 release forward.',
    changes: { direction: 'forward', releases: [v150] },
    ...patch,
  });
}

function blockedPreview(stageId: string): PromotionPreview {
  return readyPreview(stageId, {
    ready: false,
    gates: [LOCK_FAILS],
    summary: 'Blocked: locked by alice (Black Friday freeze).',
  });
}

function created(stageId: string, patch: Partial<Deployment> = {}): Deployment {
  return deploymentSchema.parse({
    id: fixtureId(),
    stageId,
    serviceSlug: 'checkout-api',
    environmentSlug: 'production',
    release: { id: v150.id, version: v150.version, commitSha: v150.commitSha },
    kind: 'promote',
    status: 'queued',
    requestedBy: 'grace@example.com',
    reason: '',
    driverKind: 'argocd',
    driverExternalId: null,
    driverUrl: null,
    error: null,
    breakGlass: false,
    trainId: null,
    createdAt: new Date().toISOString(),
    queuedAt: new Date().toISOString(),
    startedAt: null,
    finishedAt: null,
    deadlineAt: null,
    ...patch,
  });
}

function setup(options: {
  preview: (stageId: string) => PromotionPreview;
  create?: (request: RecordedRequest, stageId: string) => { status?: number; body: unknown };
  role?: Role;
}) {
  const board = buildBoardFixture();
  const stageId = productionStage(board);
  // The server's truth: once a deployment is created, the board answers with it as the cell's last one.
  let boardNow = board;
  const api = stubApi({
    '/api/v1/board': () => ({ body: boardNow }),
    '/api/v1/instance': { body: instanceFixture },
    '/api/v1/auth/session': {
      body: buildAuthState({ user: buildMe(options.role ?? 'admin'), csrfToken: 'csrf-token' }),
    },
    '/api/v1/releases': { body: { items: [v150, v142], nextCursor: null } },
    [`/api/v1/stages/${stageId}/preview`]: { body: options.preview(stageId) },
    'POST /api/v1/deployments': (request) => {
      const reply = options.create?.(request, stageId) ?? { status: 201, body: created(stageId) };
      if (reply.status === 201) boardNow = withLastDeployment(board, stageId, reply.body as Deployment);
      return reply;
    },
  });
  renderApp('/');
  const posts = () => api.requests.filter((request) => request.method === 'POST');
  return { board, stageId, posts, ...api };
}

function withLastDeployment(board: Board, stageId: string, deployment: Deployment): Board {
  return {
    ...board,
    rows: board.rows.map((row) => ({
      ...row,
      cells: Object.fromEntries(
        Object.entries(row.cells).map(([environmentId, cell]) => [
          environmentId,
          cell.stageId === stageId
            ? {
                ...cell,
                lastDeployment: {
                  id: deployment.id,
                  status: deployment.status,
                  kind: deployment.kind,
                  breakGlass: deployment.breakGlass,
                  release: { ...deployment.release, createdAt: v150.createdAt },
                  createdAt: deployment.createdAt,
                  finishedAt: null,
                },
              }
            : cell,
        ]),
      ),
    })),
  };
}

async function openDialog() {
  const grid = await screen.findByRole('grid');
  const cell = within(grid).getByRole('gridcell', { name: /^Checkout API in Production:/ });
  await userEvent.click(
    within(cell).getByRole('button', { name: 'Preview promotion of Checkout API to Production…' }),
  );
  const dialog = await screen.findByRole('dialog', { name: 'Promote Checkout API to Production' }, LAZY);
  await within(dialog).findByRole('status');
  return dialog;
}

describe('deploying from the promotion preview', () => {
  it('deploys the previewed release with a reason, closes, links the deployment and shows it on the board', async () => {
    let answer: Deployment | undefined;
    const { posts, stageId } = setup({
      preview: readyPreview,
      create: (request, stage) => {
        answer = created(stage, { reason: (request.body as { reason: string }).reason });
        return { status: 201, body: answer };
      },
    });
    const dialog = await openDialog();
    const deploy = within(dialog).getByRole('button', { name: 'Deploy v1.5.0 to Production' });
    expect(deploy).toBeEnabled();
    await userEvent.type(within(dialog).getByLabelText('Reason (optional)'), 'Ship the faster checkout');
    await userEvent.click(deploy);

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(posts()).toHaveLength(1);
    const [post] = posts();
    expect(post!.body).toEqual({
      stageId,
      releaseId: v150.id,
      reason: 'Ship the faster checkout',
      breakGlass: false,
    });
    expect(post!.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(post!.headers['x-csrf-token']).toBe('csrf-token');

    const toast = within(screen.getByRole('region', { name: 'Notifications' }));
    expect(toast.getByText('Deploying v1.5.0 to Production')).toBeInTheDocument();
    expect(toast.getByText('Checkout API: queued.')).toBeInTheDocument();
    expect(toast.getByRole('link', { name: 'View deployment' })).toHaveAttribute(
      'href',
      `/deployments/${answer!.id}`,
    );
    const cell = within(screen.getByRole('grid')).getByRole('gridcell', {
      name: /^Checkout API in Production:/,
    });
    expect(within(cell).getByText('Queued')).toBeInTheDocument();
    expect(cell).toHaveAccessibleName(/promotion of v1\.5\.0 queued/);
  });

  it('sends the same Idempotency-Key when the same request is retried after a failure', async () => {
    let attempts = 0;
    const { posts } = setup({
      preview: readyPreview,
      create: (_request, stage) => {
        attempts += 1;
        return attempts === 1
          ? { status: 503, body: { code: 'UNAVAILABLE', message: 'The database is restarting.' } }
          : { status: 201, body: created(stage) };
      },
    });
    const dialog = await openDialog();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Deploy v1.5.0 to Production' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('The database is restarting.');

    await userEvent.click(within(dialog).getByRole('button', { name: 'Deploy v1.5.0 to Production' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const [first, second] = posts();
    expect(second!.headers['idempotency-key']).toBe(first!.headers['idempotency-key']);
  });

  it('shows the gates the server answers with when it refuses (409 DEPLOYMENT_BLOCKED)', async () => {
    setup({
      preview: readyPreview,
      create: () => ({
        status: 409,
        body: {
          code: 'DEPLOYMENT_BLOCKED',
          message: 'Blocked: a freeze is on.',
          details: {
            gates: [
              { kind: 'upstream', state: 'pass', message: 'v1.5.0 succeeded in Staging.', until: null },
              {
                kind: 'freeze',
                state: 'fail',
                message: 'Frozen: Black Friday.',
                until: '2026-11-30T08:00:00.000Z',
              },
            ],
          },
        },
      }),
    });
    const dialog = await openDialog();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Deploy v1.5.0 to Production' }));

    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('Not deployed: a gate blocks it');
    const gates = within(within(alert).getByRole('list', { name: 'Blocking gates' })).getAllByRole(
      'listitem',
    );
    expect(gates[0]).toHaveTextContent(/^BlockedFreezeFrozen: Black Friday\. \(until/);
    expect(gates[1]).toHaveTextContent('PassedUpstreamv1.5.0 succeeded in Staging.');
    expect(screen.getByRole('dialog')).toBeInTheDocument();
  });

  it('offers break glass to admins only, and only with a reason', async () => {
    const { posts } = setup({ preview: blockedPreview });
    const dialog = await openDialog();
    const deploy = within(dialog).getByRole('button', { name: 'Deploy v1.5.0 to Production' });
    expect(deploy).toBeDisabled();
    expect(deploy).toHaveAccessibleDescription('Blocked: locked by alice (Black Friday freeze).');

    await userEvent.click(within(dialog).getByText('Break glass'));
    await userEvent.click(within(dialog).getByRole('checkbox', { name: 'Override the failing gates' }));
    const breakGlass = within(dialog).getByRole('button', {
      name: 'Break glass: deploy v1.5.0 to Production',
    });
    expect(breakGlass).toBeEnabled();
    await userEvent.click(breakGlass);
    expect(within(dialog).getByLabelText('Why the gates must be overridden')).toHaveAccessibleDescription(
      /Say why the gates must be overridden/,
    );
    expect(posts()).toHaveLength(0);

    await userEvent.type(
      within(dialog).getByLabelText('Why the gates must be overridden'),
      'INC-231 hotfix, approved by on-call',
    );
    await userEvent.click(breakGlass);
    await waitFor(() => expect(posts()).toHaveLength(1));
    expect(posts()[0]!.body).toMatchObject({
      breakGlass: true,
      reason: 'INC-231 hotfix, approved by on-call',
    });
  });

  it('lets a request through when gates only wait (soak, a deployment in progress): it stays pending until they pass', async () => {
    const { posts } = setup({
      preview: (stageId) =>
        readyPreview(stageId, {
          ready: false,
          gates: [{ kind: 'busy', state: 'waiting', message: 'v1.4.9 is deploying there now.', until: null }],
          summary: 'Waiting: v1.4.9 is deploying there now.',
        }),
      create: (_request, stage) => ({ status: 201, body: created(stage, { status: 'pending' }) }),
    });
    const dialog = await openDialog();
    expect(
      within(dialog).getByText('It waits as pending until its gates pass, then starts by itself.'),
    ).toBeVisible();
    expect(within(dialog).queryByText('Break glass')).toBeNull();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Deploy v1.5.0 to Production' }));
    await waitFor(() => expect(posts()).toHaveLength(1));
    expect(await screen.findByText('Checkout API: pending until its gates pass.')).toBeInTheDocument();
  });

  it('shows no break glass to a deployer', async () => {
    setup({ preview: blockedPreview, role: 'deployer' });
    const dialog = await openDialog();
    expect(within(dialog).getByRole('button', { name: 'Deploy v1.5.0 to Production' })).toBeDisabled();
    expect(within(dialog).queryByText('Break glass')).toBeNull();
  });

  it('lets a viewer look but not deploy', async () => {
    setup({ preview: readyPreview, role: 'viewer' });
    const grid = await screen.findByRole('grid');
    const cell = within(grid).getByRole('gridcell', { name: /^Checkout API in Production:/ });
    await userEvent.click(within(cell).getByRole('button', { name: /v1\.5\.0 ready from Staging/ }));
    const dialog = await screen.findByRole('dialog', { name: 'Promote Checkout API to Production' }, LAZY);
    await within(dialog).findByRole('status');
    expect(within(dialog).queryByRole('button', { name: /Deploy/ })).toBeNull();
    expect(within(dialog).getByRole('button', { name: 'Done' })).toBeEnabled();
  });
});
