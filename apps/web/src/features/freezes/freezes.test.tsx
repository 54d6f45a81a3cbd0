import { freezeSchema, type Freeze } from '@flightdeck/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { buildBoardFixture } from '../../test/fixtures/board';
import { buildAuthState, buildMe, fixtureId } from '../../test/fixtures/identity';
import { instanceFixture, renderApp, stubApi } from '../../test/render-app';

const HOUR = 3_600_000;
const at = (offset: number) => new Date(Date.now() + offset).toISOString();

function buildFreeze(patch: Partial<Freeze>): Freeze {
  return freezeSchema.parse({
    id: fixtureId(),
    scope: 'environment',
    environmentSlug: 'production',
    serviceSlug: null,
    reason: 'Black Friday',
    window: { kind: 'oneoff', startsAt: at(-HOUR), endsAt: at(5 * HOUR) },
    current: { start: at(-HOUR), end: at(5 * HOUR) },
    next: null,
    createdBy: 'Grace Hopper',
    createdAt: at(-2 * HOUR),
    ...patch,
  });
}

const active = buildFreeze({ reason: 'Black Friday' });
const weekends = buildFreeze({
  scope: 'all',
  environmentSlug: null,
  reason: 'No weekend deploys',
  window: { kind: 'recurring', cron: '0 16 * * 5', durationMinutes: 3840, timezone: 'Europe/Berlin' },
  current: null,
  next: { start: at(30 * HOUR), end: at(94 * HOUR) },
});
const past = buildFreeze({
  scope: 'service',
  environmentSlug: null,
  serviceSlug: 'search',
  reason: 'Index migration',
  window: { kind: 'oneoff', startsAt: at(-50 * HOUR), endsAt: at(-40 * HOUR) },
  current: null,
  next: null,
});

function setup(replies: Parameters<typeof stubApi>[0] = {}, role: 'admin' | 'deployer' = 'admin') {
  const api = stubApi({
    '/api/v1/instance': { body: instanceFixture },
    '/api/v1/auth/session': { body: buildAuthState({ user: buildMe(role) }) },
    'GET /api/v1/freezes': { body: { items: [past, weekends, active] } },
    '/api/v1/environments': {
      body: {
        items: [
          { id: fixtureId(), slug: 'staging', name: 'Staging', position: 2, tier: 'staging' },
          { id: fixtureId(), slug: 'production', name: 'Production', position: 3, tier: 'production' },
        ],
      },
    },
    ...replies,
  });
  renderApp('/freezes');
  return api;
}

describe('freezes page', () => {
  it('lists active freezes first, then upcoming and recurring, then past ones', async () => {
    setup();
    expect(await screen.findByRole('heading', { name: 'Freezes', level: 1 })).toBeInTheDocument();
    await screen.findByRole('region', { name: 'Active now' });
    const sections = within(screen.getByRole('main')).getAllByRole('region');
    expect(sections.map((section) => section.getAttribute('aria-label'))).toEqual([
      'Active now',
      'Upcoming and recurring',
      'Past',
    ]);
    expect(sections[0]).toHaveTextContent('Black Friday');
    expect(sections[0]).toHaveTextContent('Frozen until');
    expect(sections[1]).toHaveTextContent('No weekend deploys');
    expect(sections[1]).toHaveTextContent('Weekends: Fri 16:00 → Mon 08:00');
    expect(sections[1]).toHaveTextContent('Next:');
    expect(sections[2]).toHaveTextContent('Index migration');
    expect(sections[2]).toHaveTextContent('Service search');
  });

  it('creates a one-off freeze for an environment, sending the local times as ISO', async () => {
    const { requests } = setup({ 'POST /api/v1/freezes': { status: 201, body: active } });
    await userEvent.click(await screen.findByRole('button', { name: 'Create freeze' }));
    const dialog = await screen.findByRole('dialog', { name: 'Create a freeze' });
    await userEvent.selectOptions(await within(dialog).findByLabelText('Environment'), 'production');
    await userEvent.type(within(dialog).getByLabelText('Reason'), 'Black Friday');
    const starts = within(dialog).getByLabelText('Starts');
    await userEvent.clear(starts);
    await userEvent.type(starts, '2026-11-27T16:00');
    const ends = within(dialog).getByLabelText('Ends');
    await userEvent.clear(ends);
    await userEvent.type(ends, '2026-11-30T08:00');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create freeze' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const post = requests.find((request) => request.method === 'POST')!;
    expect(post.body).toEqual({
      scope: 'environment',
      environment: 'production',
      reason: 'Black Friday',
      window: {
        kind: 'oneoff',
        startsAt: new Date('2026-11-27T16:00').toISOString(),
        endsAt: new Date('2026-11-30T08:00').toISOString(),
      },
    });
    expect(post.headers['x-csrf-token']).toBe('csrf-token-1');
  });

  it('creates a recurring freeze over everything from a preset, in the browser’s time zone', async () => {
    const { requests } = setup({ 'POST /api/v1/freezes': { status: 201, body: weekends } });
    await userEvent.click(await screen.findByRole('button', { name: 'Create freeze' }));
    const dialog = await screen.findByRole('dialog', { name: 'Create a freeze' });
    await userEvent.selectOptions(within(dialog).getByLabelText('Applies to'), 'all');
    await userEvent.type(within(dialog).getByLabelText('Reason'), 'No night deploys');
    await userEvent.click(within(dialog).getByLabelText('Recurring'));
    await userEvent.selectOptions(within(dialog).getByLabelText('Schedule'), 'nights');
    expect(within(dialog).getByLabelText('Starts (cron)')).toHaveValue('0 22 * * *');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create freeze' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(requests.find((request) => request.method === 'POST')!.body).toEqual({
      scope: 'all',
      reason: 'No night deploys',
      window: {
        kind: 'recurring',
        cron: '0 22 * * *',
        durationMinutes: 480,
        timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      },
    });
  });

  it('shows the server’s field errors next to their fields', async () => {
    setup({
      'POST /api/v1/freezes': {
        status: 400,
        body: {
          code: 'VALIDATION_FAILED',
          message: 'Invalid body',
          details: { issues: [{ field: 'window.cron', message: 'is not a valid cron expression' }] },
        },
      },
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Create freeze' }));
    const dialog = await screen.findByRole('dialog', { name: 'Create a freeze' });
    await userEvent.selectOptions(within(dialog).getByLabelText('Applies to'), 'all');
    await userEvent.type(within(dialog).getByLabelText('Reason'), 'Quiet hours');
    await userEvent.click(within(dialog).getByLabelText('Recurring'));
    const cron = within(dialog).getByLabelText('Starts (cron)');
    await userEvent.clear(cron);
    await userEvent.type(cron, '0 25 * * * *');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create freeze' }));

    expect(await within(dialog).findByText('Is not a valid cron expression.')).toBeInTheDocument();
    expect(within(dialog).getByLabelText('Starts (cron)')).toHaveAttribute('aria-invalid', 'true');
    expect(within(dialog).queryByText('Not created')).toBeNull();
  });

  it('lifts a freeze after confirming', async () => {
    let items = [past, weekends, active];
    const { requests } = setup({
      'GET /api/v1/freezes': () => ({ body: { items } }),
      [`DELETE /api/v1/freezes/${active.id}`]: () => {
        items = [past, weekends];
        return { body: active };
      },
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Lift freeze “Black Friday”' }));
    const dialog = await screen.findByRole('dialog', { name: 'Lift this freeze?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Lift freeze' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(requests.some((request) => request.method === 'DELETE')).toBe(true);
    await waitFor(() =>
      expect(screen.getByRole('region', { name: 'Active now' })).toHaveTextContent(
        'Nothing is frozen right now.',
      ),
    );
  });

  it('offers a deployer no create or lift controls, and says why', async () => {
    setup({}, 'deployer');
    expect(
      await screen.findByText(/Only approvers and admins can create or lift freezes/),
    ).toBeInTheDocument();
    await screen.findAllByRole('region');
    expect(screen.queryByRole('button', { name: 'Create freeze' })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Lift/ })).toBeNull();
  });
});

describe('freeze marker on the board', () => {
  it('shows a frozen stage with its end time, distinct from a lock', async () => {
    const board = buildBoardFixture();
    const staging = board.environments.find((entry) => entry.slug === 'staging')!;
    board.rows[0]!.cells[staging.id]!.freeze = {
      id: fixtureId(),
      reason: 'Black Friday',
      scope: 'environment',
      until: at(5 * HOUR),
    };
    stubApi({ '/api/v1/board': { body: board }, '/api/v1/instance': { body: instanceFixture } });
    renderApp('/');
    const grid = await screen.findByRole('grid');
    const cell = within(grid).getByRole('gridcell', { name: /^Checkout API in Staging:/ });
    expect(within(cell).getByText(/Frozen until/)).toBeInTheDocument();
    expect(within(cell).queryByText(/Locked by/)).toBeNull();
    expect(cell.querySelector('[data-kind="freeze"]')).not.toBeNull();
    expect(cell).toHaveAccessibleName(/frozen until .*: Black Friday/);
  });
});
