import { environmentGrantSchema, type User } from '@flightdeck/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { buildAuthState, buildMe, buildTeam, buildUser, fixtureId } from '../../test/fixtures/identity';
import { instanceFixture, renderApp, stubApi } from '../../test/render-app';

const me = buildMe('admin');
const ana = buildUser({ name: 'Ana Lima', email: 'ana@example.com', role: 'deployer' });
const bob = buildUser({ name: 'Bob Stone', email: 'bob@example.com', role: 'viewer' });
const self: User = { ...me, memberships: [] };

function usersStub(users: User[]) {
  return {
    '/api/v1/instance': { body: instanceFixture },
    '/api/v1/auth/session': { body: buildAuthState({ user: me, csrfToken: 'csrf-admin' }) },
    'GET /api/v1/users': { body: { items: users, nextCursor: null } },
  };
}

describe('admin: users', () => {
  it('disables a user only after a confirmation that says they are signed out everywhere', async () => {
    let users = [self, ana, bob];
    const { requests } = stubApi({
      ...usersStub(users),
      'GET /api/v1/users': () => ({ body: { items: users, nextCursor: null } }),
      [`PATCH /api/v1/users/${ana.id}`]: () => {
        users = users.map((user) => (user.id === ana.id ? { ...user, disabled: true } : user));
        return { body: { ...ana, disabled: true } };
      },
    });
    renderApp('/admin/users');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Disable Ana Lima' }));
    const dialog = screen.getByRole('dialog', { name: 'Disable Ana Lima?' });
    expect(dialog).toHaveTextContent('signed out everywhere at once');
    await user.click(within(dialog).getByRole('button', { name: 'Disable user' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(await screen.findByRole('button', { name: 'Enable Ana Lima' })).toBeInTheDocument();
    const patch = requests.find((request) => request.method === 'PATCH')!;
    expect(patch.body).toEqual({ disabled: true });
    expect(patch.headers['x-csrf-token']).toBe('csrf-admin');
  });

  it('changes a role after confirmation', async () => {
    const { requests } = stubApi({
      ...usersStub([self, bob]),
      [`PATCH /api/v1/users/${bob.id}`]: { body: { ...bob, role: 'approver' } },
    });
    renderApp('/admin/users');
    const user = userEvent.setup();
    await user.selectOptions(await screen.findByRole('combobox', { name: 'Role of Bob Stone' }), 'approver');
    const dialog = screen.getByRole('dialog', { name: "Change Bob Stone's role?" });
    expect(dialog).toHaveTextContent('From Viewer to Approver');
    await user.click(within(dialog).getByRole('button', { name: 'Change role' }));
    await waitFor(() =>
      expect(requests.find((request) => request.method === 'PATCH')?.body).toEqual({ role: 'approver' }),
    );
  });

  it('does not let an admin demote or disable themselves, and says why', async () => {
    stubApi(usersStub([self, ana]));
    renderApp('/admin/users');
    const role = await screen.findByRole('combobox', { name: 'Role of Grace Hopper' });
    expect(role).toBeDisabled();
    const row = role.closest('tr')!;
    const disable = within(row).getByRole('button', { name: 'Disable' });
    expect(disable).toBeDisabled();
    await userEvent.hover(disable.parentElement!);
    expect(await screen.findByRole('tooltip')).toHaveTextContent('This is you.');
  });

  it('searches on the server', async () => {
    const { requests } = stubApi(usersStub([self, ana]));
    renderApp('/admin/users');
    await userEvent.type(await screen.findByRole('searchbox', { name: /Search users/ }), 'ana');
    await waitFor(() =>
      expect(requests.some((request) => new URLSearchParams(request.search).get('q') === 'ana')).toBe(true),
    );
  });

  it('tells a non-admin why the page is closed', async () => {
    stubApi({
      '/api/v1/instance': { body: instanceFixture },
      '/api/v1/auth/session': { body: buildAuthState({ user: buildMe('approver') }) },
    });
    renderApp('/admin/users');
    expect(await screen.findByText(/needs the/)).toHaveTextContent(
      'Opening administration needs the Admin role.',
    );
  });
});

describe('admin: teams', () => {
  it('adds a member with a team role and shows owned services', async () => {
    const team = buildTeam({ members: [], serviceSlugs: ['checkout-api', 'ledger'] });
    const { requests } = stubApi({
      ...usersStub([self, ana]),
      '/api/v1/teams': { body: { items: [team] } },
      [`PUT /api/v1/teams/payments/members/${ana.id}`]: { body: team },
    });
    renderApp('/admin/teams');
    const card = (await screen.findByRole('heading', { name: 'Payments' })).closest('section')!;
    expect(within(card).getByLabelText('Services this team owns')).toHaveTextContent('checkout-apiledger');
    const user = userEvent.setup();
    await waitFor(() => expect(within(card).getByRole('option', { name: /Ana Lima/ })).toBeInTheDocument());
    await user.selectOptions(within(card).getByRole('combobox', { name: 'User to add' }), ana.id);
    await user.selectOptions(within(card).getByRole('combobox', { name: 'Role in the team' }), 'approver');
    await user.click(within(card).getByRole('button', { name: 'Add member' }));
    await waitFor(() =>
      expect(requests.find((request) => request.method === 'PUT')?.body).toEqual({ role: 'approver' }),
    );
  });
});

describe('admin: environment access', () => {
  it('explains open and narrowed environments and who is granted', async () => {
    const production = {
      id: fixtureId(),
      slug: 'production',
      name: 'Production',
      position: 3,
      tier: 'production',
    };
    const staging = { id: fixtureId(), slug: 'staging', name: 'Staging', position: 2, tier: 'staging' };
    const grant = environmentGrantSchema.parse({
      id: fixtureId(),
      environmentSlug: 'production',
      action: 'deploy',
      user: null,
      team: { id: fixtureId(), slug: 'release-managers', name: 'Release managers' },
      createdAt: '2026-11-01T09:00:00.000Z',
    });
    stubApi({
      ...usersStub([self]),
      '/api/v1/teams': { body: { items: [] } },
      '/api/v1/environments': { body: { items: [staging, production] } },
      '/api/v1/environments/production/grants': { body: { items: [grant] } },
      '/api/v1/environments/staging/grants': { body: { items: [] } },
    });
    renderApp('/admin/environments');
    const note = await screen.findByText(/Once an environment has a deploy grant/);
    expect(note.closest('.inline-alert')).toHaveTextContent('Admins always can.');
    const prod = (await screen.findByRole('heading', { name: 'Production' })).closest('section')!;
    await within(prod).findByText('Team Release managers');
    expect(prod).toHaveTextContent('Narrowed: only these (and admins) may deploy to Production.');
    expect(prod).toHaveTextContent('Open: anyone with the Approver role or above may approve here.');
    const stagingCard = screen.getByRole('heading', { name: 'Staging' }).closest('section')!;
    expect(await within(stagingCard).findByText(/Open: anyone with the Deployer role/)).toBeInTheDocument();
    // Production comes first: it is the one people narrow.
    expect(screen.getAllByRole('heading', { level: 2 }).map((heading) => heading.textContent)).toEqual([
      'Production',
      'Staging',
    ]);
  });
});

describe('admin: create a team', () => {
  it('derives the slug from the name and sends both', async () => {
    const { requests } = stubApi({
      ...usersStub([self]),
      'GET /api/v1/teams': { body: { items: [] } },
      'POST /api/v1/teams': {
        status: 201,
        body: buildTeam({ slug: 'release-managers', name: 'Release managers' }),
      },
    });
    renderApp('/admin/teams');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Create team' }));
    const dialog = screen.getByRole('dialog', { name: 'Create a team' });
    await user.type(within(dialog).getByLabelText('Team name'), 'Release managers');
    expect(within(dialog).getByLabelText('Slug')).toHaveValue('release-managers');
    await user.click(within(dialog).getByRole('button', { name: 'Create team' }));
    await waitFor(() =>
      expect(requests.find((request) => request.method === 'POST')?.body).toEqual({
        name: 'Release managers',
        slug: 'release-managers',
      }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
  });
});
