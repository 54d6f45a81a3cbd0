import {
  deploymentSchema,
  releaseSchema,
  rollbackOptionsSchema,
  type Gate,
  type Release,
  type RollbackOptions,
} from '@flightdeck/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { buildBoardFixture } from '../../test/fixtures/board';
import { buildAuthState, buildMe } from '../../test/fixtures/identity';
import { instanceFixture, renderApp, stubApi, type RecordedRequest } from '../../test/render-app';
import { buildDeploymentDetail, buildServiceFixtures } from '../service/service-fixtures';

const MINUTE = 60_000;
let counter = 0;
function uuid(): string {
  counter += 1;
  return `00000000-0000-4000-9000-${counter.toString(16).padStart(12, '0')}`;
}
function ago(ms: number): string {
  return new Date(Date.now() - ms).toISOString();
}

function release(version: string, sha: string, createdAgo: number, notes = ''): Release {
  return releaseSchema.parse({
    id: uuid(),
    serviceId: '00000000-0000-4000-9000-ffffffffffff',
    serviceSlug: 'search',
    version,
    commitSha: sha.padEnd(40, '0'),
    artifactRef: null,
    notes,
    source: 'api',
    createdAt: ago(createdAgo),
    quarantine: null,
  });
}

const v210 = release('v2.1.0', '1111111', 60 * MINUTE, 'New ranking model\nmore detail');
const v209 = release('v2.0.9', '2222222', 600 * MINUTE, 'Typo fixes');
const v208 = release('v2.0.8', '3333333', 1200 * MINUTE);

const freezeGate: Gate = {
  kind: 'freeze',
  state: 'pass',
  message: 'Frozen for Black Friday, but rollbacks may go through',
  until: null,
};

function options(stageId: string, patch: Partial<RollbackOptions> = {}): RollbackOptions {
  return rollbackOptionsSchema.parse({
    stageId,
    current: v210,
    defaultTarget: v209,
    targets: [
      { release: v209, lastSucceededAt: ago(120 * MINUTE) },
      { release: v208, lastSucceededAt: ago(1000 * MINUTE) },
    ],
    hold: null,
    active: null,
    ...patch,
  });
}

function preview(stageId: string, request: RecordedRequest) {
  const target = new URLSearchParams(request.search).get('release') === v208.id ? v208 : v209;
  const reverted = target === v208 ? [v210, v209] : [v210];
  return {
    body: {
      stage: { id: stageId, serviceSlug: 'search', environmentSlug: 'production' },
      candidate: target,
      current: v210,
      gates: [freezeGate],
      ready: true,
      summary: `Roll production back to ${target.version}, reverting ${reverted.length} releases`,
      changes: { direction: 'backward', releases: reverted },
    },
  };
}

function rollbackDeployment(stageId: string) {
  return deploymentSchema.parse({
    id: uuid(),
    stageId,
    serviceSlug: 'search',
    environmentSlug: 'production',
    release: { id: v209.id, version: v209.version, commitSha: v209.commitSha },
    kind: 'rollback',
    status: 'queued',
    requestedBy: 'Ana Lima',
    reason: 'Error rate up',
    driverKind: 'argocd',
    driverExternalId: null,
    driverUrl: null,
    error: null,
    breakGlass: false,
    trainId: null,
    createdAt: ago(0),
    queuedAt: ago(0),
    startedAt: null,
    finishedAt: null,
    deadlineAt: null,
  });
}

function searchProduction(board: ReturnType<typeof buildBoardFixture>) {
  const production = board.environments.find((entry) => entry.slug === 'production')!;
  return board.rows[1]!.cells[production.id]!;
}

interface SetupOptions {
  rollback?: Partial<RollbackOptions>;
  post?: (request: RecordedRequest) => { status?: number; body: unknown };
  role?: 'admin' | 'viewer';
}

function setup({ rollback = {}, post, role = 'admin' }: SetupOptions = {}) {
  const board = buildBoardFixture();
  const stageId = searchProduction(board).stageId;
  const api = stubApi({
    '/api/v1/board': { body: board },
    '/api/v1/instance': { body: instanceFixture },
    '/api/v1/auth/session': { body: buildAuthState({ user: buildMe(role) }) },
    [`GET /api/v1/stages/${stageId}/rollback`]: { body: options(stageId, rollback) },
    [`/api/v1/stages/${stageId}/preview`]: (request) => preview(stageId, request),
    [`POST /api/v1/stages/${stageId}/rollback`]:
      post ?? (() => ({ status: 201, body: rollbackDeployment(stageId) })),
  });
  renderApp('/');
  const posts = () => api.requests.filter((request) => request.method === 'POST');
  return { ...api, board, stageId, posts };
}

async function cellFor(service: string, environment: string) {
  return within(await screen.findByRole('grid', {}, { timeout: 5000 })).getByRole('gridcell', {
    name: new RegExp(`^${service} in ${environment}:`),
  });
}

async function openDialog() {
  const cell = await cellFor('Search', 'Production');
  await userEvent.click(within(cell).getByRole('button', { name: 'Roll back Search in Production…' }));
  // The dialog loads on first use.
  return screen.findByRole('dialog', { name: 'Roll back Search in Production' }, { timeout: 5000 });
}

describe('rolling a stage back', () => {
  it('preselects the previous successful release and shows what it reverts, newest first, and the gates', async () => {
    setup();
    const dialog = await openDialog();
    const previous = await within(dialog).findByRole('radio', { name: /^v2\.0\.9/ }, { timeout: 5000 });
    expect(previous).toBeChecked();
    expect(previous.closest('label')).toHaveTextContent(/last succeeded 2h ago/);
    expect(previous.closest('label')).toHaveTextContent('Previous successful');
    expect(within(dialog).getByRole('radio', { name: /^v2\.0\.8/ })).not.toBeChecked();

    const reverted = await within(dialog).findByRole('table', { name: 'Releases reverted' });
    expect(
      within(reverted)
        .getAllByRole('rowheader')
        .map((cell) => cell.textContent),
    ).toEqual(['v2.1.0']);
    expect(within(reverted).getByText('New ranking model')).toBeInTheDocument();
    expect(within(dialog).getByText(/rollbacks may go through/)).toBeInTheDocument();

    await userEvent.click(within(dialog).getByRole('radio', { name: /^v2\.0\.8/ }));
    await waitFor(() =>
      expect(
        within(within(dialog).getByRole('table', { name: 'Releases reverted' }))
          .getAllByRole('rowheader')
          .map((cell) => cell.textContent),
      ).toEqual(['v2.1.0', 'v2.0.9']),
    );
    expect(within(dialog).getByRole('button', { name: 'Roll back to v2.0.8' })).toBeEnabled();
  });

  it('requires a reason, then rolls back with one idempotency key across retries and links the deployment', async () => {
    let attempts = 0;
    const { posts, stageId } = setup({
      post: () => {
        attempts += 1;
        return attempts === 1
          ? { status: 500, body: { code: 'INTERNAL', message: 'Something went wrong on our side.' } }
          : { status: 201, body: rollbackDeployment(stageId) };
      },
    });
    const dialog = await openDialog();
    const submit = await within(dialog).findByRole('button', { name: 'Roll back to v2.0.9' });
    await userEvent.click(submit);
    expect(await within(dialog).findByText('Say why, in a few words.')).toBeInTheDocument();
    expect(within(dialog).getByLabelText('Reason')).toHaveAttribute('aria-invalid', 'true');
    expect(posts()).toHaveLength(0);

    await userEvent.type(within(dialog).getByLabelText('Reason'), 'Error rate above 5%');
    await userEvent.click(submit);
    expect(await within(dialog).findByText('Not rolled back')).toBeInTheDocument();
    await userEvent.click(submit);
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());

    const [first, second] = posts();
    expect(first!.body).toEqual({ releaseId: v209.id, reason: 'Error rate above 5%' });
    expect(second!.body).toEqual(first!.body);
    expect(first!.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(second!.headers['idempotency-key']).toBe(first!.headers['idempotency-key']);

    const toasts = screen.getByRole('region', { name: 'Notifications' });
    expect(within(toasts).getByText('Rolling Production back to v2.0.9')).toBeInTheDocument();
    expect(within(toasts).getByRole('link', { name: 'View deployment' })).toHaveAttribute(
      'href',
      expect.stringMatching(/^\/deployments\//),
    );
  });

  it('says it cancels the deployment in flight', async () => {
    const board = buildBoardFixture();
    const active = deploymentSchema.parse({
      ...rollbackDeployment(searchProduction(board).stageId),
      kind: 'promote',
      status: 'running',
      release: { id: uuid(), version: 'v2.1.1', commitSha: 'a'.repeat(40) },
    });
    setup({ rollback: { active } });
    const dialog = await openDialog();
    expect(await within(dialog).findByText(/Cancels/)).toHaveTextContent('Cancels v2.1.1, running now');
    expect(within(dialog).getByRole('link', { name: 'View that deployment' })).toHaveAttribute(
      'href',
      `/deployments/${active.id}`,
    );
  });

  it('shows a refusal (409) with its sentence and the blocking gates', async () => {
    setup({
      post: () => ({
        status: 409,
        body: {
          code: 'DEPLOYMENT_BLOCKED',
          message: 'Not rolled back: v2.0.9 is quarantined.',
          details: {
            gates: [
              {
                kind: 'quarantine',
                state: 'fail',
                message: 'v2.0.9 is quarantined by Ana Lima: leaks memory',
                until: null,
              },
            ],
          },
        },
      }),
    });
    const dialog = await openDialog();
    await userEvent.type(await within(dialog).findByLabelText('Reason'), 'Error rate up');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Roll back to v2.0.9' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('Not rolled back: a gate blocks it');
    expect(alert).toHaveTextContent('Not rolled back: v2.0.9 is quarantined.');
    expect(within(alert).getByRole('list', { name: 'Blocking gates' })).toHaveTextContent(
      'v2.0.9 is quarantined by Ana Lima: leaks memory',
    );
    expect(screen.getByRole('dialog')).toBeInTheDocument();
  });

  it('is disabled, saying why, when nothing succeeded there before', async () => {
    setup({ rollback: { defaultTarget: null, targets: [] } });
    const dialog = await openDialog();
    const button = await within(dialog).findByRole('button', { name: 'Roll back' });
    expect(button).toBeDisabled();
    expect(button).toHaveAccessibleDescription(
      'Nothing to roll back to: no earlier release succeeded in Production.',
    );
  });

  it('is offered only to users who may deploy, on stages running something', async () => {
    setup({ role: 'viewer' });
    const cell = await cellFor('Search', 'Production');
    expect(within(cell).queryByRole('button', { name: /^Roll back/ })).not.toBeInTheDocument();
  });

  it('opens with R on the focused cell', async () => {
    setup();
    const cell = await cellFor('Search', 'Production');
    cell.focus();
    await userEvent.keyboard('r');
    expect(
      await screen.findByRole('dialog', { name: 'Roll back Search in Production' }, { timeout: 5000 }),
    ).toBeInTheDocument();
    // Ledger never ran anything in staging: nothing to roll back.
    expect(
      within(await cellFor('Ledger', 'Staging')).queryByRole('button', { name: /^Roll back/ }),
    ).toBeNull();
  });
});

describe('a hold on the board', () => {
  function setupHold(role: 'admin' | 'viewer' = 'admin') {
    const board = buildBoardFixture();
    const cell = searchProduction(board);
    cell.hold = {
      release: { id: v210.id, version: 'v2.1.0', commitSha: v210.commitSha, createdAt: v210.createdAt },
      reason: 'Rolled back: error rate above 5%',
    };
    const api = stubApi({
      '/api/v1/board': () => ({ body: board }),
      '/api/v1/instance': { body: instanceFixture },
      '/api/v1/auth/session': { body: buildAuthState({ user: buildMe(role) }) },
      [`DELETE /api/v1/stages/${cell.stageId}/hold`]: () => {
        cell.hold = null;
        return { body: { stageId: cell.stageId, hold: null } };
      },
    });
    renderApp('/');
    return { ...api, stageId: cell.stageId };
  }

  it('shows the held release with its reason, and releases it after saying what that means', async () => {
    const { requests, stageId } = setupHold();
    const cell = await cellFor('Search', 'Production');
    expect(cell).toHaveAccessibleName(/held: v2\.1\.0 \(Rolled back: error rate above 5%\)/);
    const marker = within(cell).getByText('Held:').closest('.cell-marker')!;
    expect(marker).toHaveTextContent('Held: v2.1.0');
    await userEvent.hover(marker);
    expect(await screen.findByRole('tooltip')).toHaveTextContent('Reason: Rolled back: error rate above 5%');

    await userEvent.click(within(cell).getByRole('button', { name: 'Release the hold on v2.1.0…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Release the hold on Search in Production?' });
    expect(dialog).toHaveTextContent('v2.1.0 can be promoted there again, and automatic promotion resumes');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Release hold' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());

    expect(
      requests.some((request) => request.method === 'DELETE' && request.path.endsWith(`${stageId}/hold`)),
    ).toBe(true);
    await waitFor(async () =>
      expect(within(await cellFor('Search', 'Production')).queryByText('Held:')).not.toBeInTheDocument(),
    );
  });

  it('shows the hold to viewers without the release action', async () => {
    setupHold('viewer');
    const cell = await cellFor('Search', 'Production');
    expect(within(cell).getByText('Held:').closest('.cell-marker')).toHaveTextContent('Held: v2.1.0');
    expect(within(cell).queryByRole('button', { name: /Release the hold/ })).not.toBeInTheDocument();
  });
});

describe('other ways to roll back', () => {
  it('is offered per stage in the service page’s history, for stages running something', async () => {
    const data = buildServiceFixtures();
    const production = data.stages.find((stage) => stage.environmentSlug === 'production')!;
    stubApi({
      '/api/v1/instance': { body: instanceFixture },
      '/api/v1/services/checkout-api': { body: data.service },
      '/api/v1/environments': { body: { items: data.environments } },
      '/api/v1/stages': { body: { items: data.stages } },
      '/api/v1/board': { body: data.board },
      '/api/v1/releases': { body: { items: data.releases, nextCursor: null } },
      '/api/v1/deployments': { body: { items: [], nextCursor: null } },
      [`GET /api/v1/stages/${production.id}/rollback`]: { body: options(production.id) },
      [`/api/v1/stages/${production.id}/preview`]: (request) => preview(production.id, request),
    });
    renderApp('/services/checkout-api');
    const history = await screen.findByRole('region', { name: 'Production' }, { timeout: 5000 });
    await userEvent.click(await within(history).findByRole('button', { name: 'Roll back Production…' }));
    expect(
      await screen.findByRole('dialog', { name: 'Roll back Checkout API in Production' }, { timeout: 5000 }),
    ).toBeInTheDocument();
  });

  it('is offered on a deployment’s page for its stage', async () => {
    const deployment = buildDeploymentDetail({ environmentSlug: 'production' });
    stubApi({
      '/api/v1/instance': { body: instanceFixture },
      [`/api/v1/deployments/${deployment.id}`]: { body: deployment },
      [`GET /api/v1/stages/${deployment.stageId}/rollback`]: { body: options(deployment.stageId) },
      [`/api/v1/stages/${deployment.stageId}/preview`]: (request) => preview(deployment.stageId, request),
    });
    renderApp(`/deployments/${deployment.id}`);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Roll back this stage…' }, { timeout: 5000 }),
    );
    const dialog = await screen.findByRole(
      'dialog',
      { name: 'Roll back checkout-api in production' },
      { timeout: 5000 },
    );
    expect(await within(dialog).findByRole('radio', { name: /^v2\.0\.9/ })).toBeChecked();
  });
});
