import { deploymentWindowSchema, type DeploymentWindow } from '@flightdeck/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { buildAuthState, buildMe, fixtureId } from '../../test/fixtures/identity';
import { instanceFixture, renderApp, stubApi } from '../../test/render-app';

const HOUR = 3_600_000;
const at = (offset: number) => new Date(Date.now() + offset).toISOString();

function buildWindow(patch: Partial<DeploymentWindow>): DeploymentWindow {
  return deploymentWindowSchema.parse({
    id: fixtureId(),
    environmentSlug: 'production',
    name: 'Office hours',
    cron: '0 9 * * 1-5',
    durationMinutes: 480,
    timezone: 'Europe/Berlin',
    current: null,
    next: { start: at(20 * HOUR), end: at(28 * HOUR) },
    createdBy: 'grace@example.com',
    createdAt: at(-48 * HOUR),
    ...patch,
  });
}

const officeHours = buildWindow({
  name: 'Office hours',
  current: { start: at(-HOUR), end: at(7 * HOUR) },
  next: { start: at(23 * HOUR), end: at(31 * HOUR) },
});
const weekendMornings = buildWindow({
  name: 'Weekend mornings',
  cron: '0 8 * * 0,6',
  durationMinutes: 90,
  timezone: 'America/New_York',
});
const stagingNights = buildWindow({
  environmentSlug: 'staging',
  name: 'Nightly',
  cron: '*/30 22 * * *',
  durationMinutes: 20,
  timezone: 'UTC',
});

type Role = 'admin' | 'approver' | 'deployer' | 'viewer';

function setup(replies: Parameters<typeof stubApi>[0] = {}, role: Role = 'admin') {
  const api = stubApi({
    '/api/v1/instance': { body: instanceFixture },
    '/api/v1/auth/session': { body: buildAuthState({ user: buildMe(role) }) },
    'GET /api/v1/freezes': { body: { items: [] } },
    'GET /api/v1/windows': { body: { items: [stagingNights, officeHours, weekendMornings] } },
    '/api/v1/environments': {
      body: {
        items: [
          { id: fixtureId(), slug: 'production', name: 'Production', position: 3, tier: 'production' },
          { id: fixtureId(), slug: 'dev', name: 'Development', position: 1, tier: 'development' },
          { id: fixtureId(), slug: 'staging', name: 'Staging', position: 2, tier: 'staging' },
        ],
      },
    },
    ...replies,
  });
  renderApp('/freezes');
  return api;
}

async function environmentTable(name: string) {
  return screen.findByRole('table', { name });
}

describe('deployment windows on the freezes page', () => {
  it('shows every environment in order with its windows, schedule in words and raw, and whether it is open', async () => {
    setup();
    expect(await screen.findByRole('heading', { name: 'Deployment windows', level: 2 })).toBeInTheDocument();
    const production = await environmentTable('Production');
    const headings = screen.getAllByRole('heading', { level: 3 }).map((heading) => heading.textContent);
    expect(headings).toEqual(['Development', 'Staging', 'Production']);

    const [, office, weekend] = within(production).getAllByRole('row');
    expect(office).toHaveTextContent('Office hours');
    expect(office).toHaveTextContent('Mon–Fri 09:00 for 8 h, Europe/Berlin');
    expect(within(office!).getByText('0 9 * * 1-5')).toBeInTheDocument();
    expect(office).toHaveTextContent(/Open now until/);
    expect(weekend).toHaveTextContent('Sun, Sat 08:00 for 1 h 30 min, America/New_York');
    expect(weekend).toHaveTextContent(/Next opens/);

    const staging = await environmentTable('Staging');
    expect(staging).toHaveTextContent('Custom schedule for 20 min, UTC');
    expect(within(staging).getByText('*/30 22 * * *')).toBeInTheDocument();

    // Each environment's summary: any time, open, or closed until the next opening.
    expect(screen.getByText('No windows: deployments may start any time')).toBeInTheDocument();
    expect(screen.getByText(/^Deployments may start until/)).toBeInTheDocument();
    expect(screen.getByText(/^Closed: deployments wait until/)).toBeInTheDocument();
  });

  it('adds a window in the browser’s time zone and sends it to the API', async () => {
    const { requests } = setup({ 'POST /api/v1/windows': { status: 201, body: officeHours } });
    await screen.findByRole('table', { name: 'Production' });
    await userEvent.click(screen.getByRole('button', { name: 'Add window' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add a deployment window' });
    expect(within(dialog).getByLabelText('Time zone')).toHaveValue(
      Intl.DateTimeFormat().resolvedOptions().timeZone,
    );
    await userEvent.selectOptions(within(dialog).getByLabelText('Environment'), 'production');
    await userEvent.type(within(dialog).getByLabelText('Name'), 'Release train hours');
    const cron = within(dialog).getByLabelText('Opens (cron)');
    await userEvent.clear(cron);
    await userEvent.type(cron, '0 10 * * 2,4');
    const duration = within(dialog).getByLabelText('Stays open (minutes)');
    await userEvent.clear(duration);
    await userEvent.type(duration, '120');
    const zone = within(dialog).getByLabelText('Time zone');
    await userEvent.clear(zone);
    await userEvent.type(zone, 'Europe/Berlin');
    expect(within(dialog).getByText('Open Tue, Thu 10:00 for 2 h, Europe/Berlin.')).toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Add window' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const post = requests.find((request) => request.method === 'POST')!;
    expect(post.path).toBe('/api/v1/windows');
    expect(post.body).toEqual({
      environment: 'production',
      name: 'Release train hours',
      cron: '0 10 * * 2,4',
      durationMinutes: 120,
      timezone: 'Europe/Berlin',
    });
    expect(post.headers['x-csrf-token']).toBe('csrf-token-1');
  });

  it('preselects the environment when adding from its row, and keeps the form valid before sending', async () => {
    const { requests } = setup();
    await userEvent.click(await screen.findByRole('button', { name: 'Add a window to Staging' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add a deployment window' });
    expect(within(dialog).getByLabelText('Environment')).toHaveValue('staging');
    const cron = within(dialog).getByLabelText('Opens (cron)');
    await userEvent.clear(cron);
    await userEvent.type(cron, '0 9 * * 1-5 2026');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Add window' }));
    expect(within(dialog).getByLabelText('Opens (cron)')).toHaveAttribute('aria-invalid', 'true');
    expect(within(dialog).getByLabelText('Name')).toHaveAttribute('aria-invalid', 'true');
    expect(requests.some((request) => request.method === 'POST')).toBe(false);
  });

  it('shows the server’s field errors next to their fields', async () => {
    setup({
      'POST /api/v1/windows': {
        status: 400,
        body: {
          code: 'INVALID_BODY',
          message: 'Invalid body parameter — timezone: is not an IANA time zone such as Europe/Berlin',
          details: {
            issues: [{ field: 'timezone', message: 'is not an IANA time zone such as Europe/Berlin' }],
          },
        },
      },
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Add a window to Production' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add a deployment window' });
    await userEvent.type(within(dialog).getByLabelText('Name'), 'Office hours');
    const zone = within(dialog).getByLabelText('Time zone');
    await userEvent.clear(zone);
    await userEvent.type(zone, 'Mars/Olympus');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Add window' }));

    expect(
      await within(dialog).findByText('Is not an IANA time zone such as Europe/Berlin.'),
    ).toBeInTheDocument();
    expect(within(dialog).getByLabelText('Time zone')).toHaveAttribute('aria-invalid', 'true');
    expect(within(dialog).queryByText('Not added')).toBeNull();
  });

  it('removes a window after confirming, saying what that means for the environment', async () => {
    let items = [stagingNights, officeHours, weekendMornings];
    const { requests } = setup({
      'GET /api/v1/windows': () => ({ body: { items } }),
      [`DELETE /api/v1/windows/${stagingNights.id}`]: () => {
        items = [officeHours, weekendMornings];
        return { body: stagingNights };
      },
    });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Remove window “Nightly” from Staging' }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Remove this window?' });
    expect(dialog).toHaveTextContent('With no window left, staging takes deployments any time.');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Remove window' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(requests.some((request) => request.method === 'DELETE')).toBe(true);
    await waitFor(() => expect(screen.queryByRole('table', { name: 'Staging' })).toBeNull());
  });

  it('offers a deployer no add or remove controls, and says why', async () => {
    setup({}, 'deployer');
    await screen.findByRole('table', { name: 'Production' });
    expect(screen.getByText('Only approvers and admins can add or remove windows.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Add/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Remove/ })).toBeNull();
  });

  it('says when the windows cannot be loaded, without hiding the freezes', async () => {
    setup({ 'GET /api/v1/windows': { status: 500, body: { code: 'INTERNAL', message: 'Internal error' } } });
    expect(await screen.findByText('Deployment windows could not be loaded')).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Freezes', level: 1 })).toBeInTheDocument();
  });
});
