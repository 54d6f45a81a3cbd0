import type { Role } from '@flightdeck/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { buildBoardFixture } from '../../test/fixtures/board';
import { buildAuthState, buildMe, signedOut } from '../../test/fixtures/identity';
import { instanceFixture, renderApp, stubApi } from '../../test/render-app';

function setup(role: Role) {
  const stub = stubApi({
    '/api/v1/instance': { body: instanceFixture },
    '/api/v1/board': { body: buildBoardFixture() },
    '/api/v1/auth/session': { body: buildAuthState({ user: buildMe(role), csrfToken: 'csrf-menu' }) },
    'POST /api/v1/auth/logout': { body: signedOut() },
  });
  const view = renderApp('/');
  return { ...stub, ...view };
}

async function openMenu() {
  const button = await screen.findByRole('button', { name: /Account menu for Grace Hopper/ });
  await userEvent.click(button);
  expect(button).toHaveAttribute('aria-expanded', 'true');
  return screen.getByRole('navigation', { name: 'Account' });
}

describe('user menu', () => {
  it('shows name and role, personal links and every admin link for an admin', async () => {
    setup('admin');
    const button = await screen.findByRole('button', { name: /Account menu/ });
    expect(button).toHaveTextContent('Grace Hopper');
    expect(button).toHaveTextContent('Admin');
    const menu = await openMenu();
    const links = within(menu)
      .getAllByRole('link')
      .map((link) => [link.textContent, link.getAttribute('href')]);
    expect(links).toEqual([
      ['API tokens', '/settings/tokens'],
      ['Change password', '/settings/password'],
      ['Audit log', '/audit'],
      ['Users', '/admin/users'],
      ['Teams', '/admin/teams'],
      ['Environment access', '/admin/environments'],
    ]);
    expect(screen.getByRole('navigation', { name: 'Primary' })).toHaveTextContent('Admin');
  });

  it('shows no admin links to an approver, but the audit log', async () => {
    setup('approver');
    const menu = await openMenu();
    expect(within(menu).getByRole('link', { name: 'Audit log' })).toBeInTheDocument();
    expect(within(menu).queryByRole('link', { name: 'Users' })).not.toBeInTheDocument();
    expect(screen.getByRole('navigation', { name: 'Primary' })).not.toHaveTextContent('Admin');
  });

  it('shows neither admin links nor the audit log to a viewer', async () => {
    setup('viewer');
    const menu = await openMenu();
    expect(
      within(menu)
        .getAllByRole('link')
        .map((link) => link.textContent),
    ).toEqual(['API tokens', 'Change password']);
  });

  it('closes on Escape', async () => {
    setup('viewer');
    await openMenu();
    await userEvent.keyboard('{Escape}');
    expect(screen.getByRole('button', { name: /Account menu/ })).toHaveAttribute('aria-expanded', 'false');
  });

  it('signs out with the CSRF token and lands on the sign-in page', async () => {
    const { requests, router } = setup('admin');
    await openMenu();
    await userEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/login'));
    const logout = requests.find((request) => request.path === '/api/v1/auth/logout')!;
    expect(logout.method).toBe('POST');
    expect(logout.headers['x-csrf-token']).toBe('csrf-menu');
    expect(await screen.findByRole('heading', { name: 'Sign in to Flightdeck' })).toBeInTheDocument();
  });
});
