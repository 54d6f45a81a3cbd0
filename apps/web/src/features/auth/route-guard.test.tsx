import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { buildBoardFixture } from '../../test/fixtures/board';
import { buildAuthState, buildMe, signedOut } from '../../test/fixtures/identity';
import { instanceFixture, renderApp, stubApi } from '../../test/render-app';
import { safeReturnTo } from './return-to';

const base = { '/api/v1/instance': { body: instanceFixture } };

describe('route guard', () => {
  it('sends a signed-out visitor to sign in, remembering the page', async () => {
    stubApi({ ...base, '/api/v1/auth/session': { body: signedOut() } });
    const { router } = renderApp('/audit?outcome=denied');
    await waitFor(() => expect(router.state.location.pathname).toBe('/login'));
    expect(new URLSearchParams(router.state.location.search).get('returnTo')).toBe('/audit?outcome=denied');
    expect(await screen.findByRole('heading', { name: 'Sign in to Flightdeck' })).toBeInTheDocument();
  });

  it('sends everyone to setup while no admin exists', async () => {
    stubApi({ ...base, '/api/v1/auth/session': { body: signedOut({ setupRequired: true }) } });
    const { router } = renderApp('/settings/tokens');
    await waitFor(() => expect(router.state.location.pathname).toBe('/setup'));
  });

  it('keeps the login page away from someone already signed in', async () => {
    stubApi({ ...base, '/api/v1/board': { body: buildBoardFixture() } });
    const { router } = renderApp('/login');
    await waitFor(() => expect(router.state.location.pathname).toBe('/'));
  });

  it('goes back to sign-in when any request answers 401, and returns there afterwards', async () => {
    let session = buildAuthState();
    stubApi({
      ...base,
      '/api/v1/auth/session': () => ({ body: session }),
      '/api/v1/me/tokens': () => {
        // The session expired on the server.
        session = signedOut();
        return { status: 401, body: { code: 'UNAUTHENTICATED', message: 'Sign in first.' } };
      },
    });
    const { router } = renderApp('/settings/tokens');
    await waitFor(() => expect(router.state.location.pathname).toBe('/login'));
    expect(new URLSearchParams(router.state.location.search).get('returnTo')).toBe('/settings/tokens');
    expect(await screen.findByText('Your session has ended. Sign in again to continue.')).toBeInTheDocument();
  });

  it('shows why a page is out of reach instead of a broken screen', async () => {
    const { requests } = stubApi({
      ...base,
      '/api/v1/auth/session': { body: buildAuthState({ user: buildMe('deployer') }) },
    });
    renderApp('/audit');
    expect(
      await screen.findByRole('heading', { name: 'You do not have access to this page' }),
    ).toBeInTheDocument();
    expect(screen.getByText(/needs the/)).toHaveTextContent(
      'Opening the audit log needs the Approver role. You are signed in as Grace Hopper with the Deployer role.',
    );
    expect(requests.some((request) => request.path.startsWith('/api/v1/audit'))).toBe(false);
  });

  it('explains an unreachable API instead of redirecting', async () => {
    stubApi({
      ...base,
      '/api/v1/auth/session': { status: 502, body: null },
    });
    renderApp('/');
    expect(await screen.findByText('Flightdeck could not check your session')).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('The Flightdeck API is not answering');
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
  });

  it('accepts only same-site paths as returnTo', () => {
    expect(safeReturnTo('/admin/users?q=a')).toBe('/admin/users?q=a');
    expect(safeReturnTo('//evil.example')).toBe('/');
    expect(safeReturnTo('/\\evil.example')).toBe('/');
    expect(safeReturnTo('https://evil.example')).toBe('/');
    expect(safeReturnTo('/login?returnTo=/x')).toBe('/');
    expect(safeReturnTo(null)).toBe('/');
  });
});

describe('failed changes', () => {
  it('fetches a fresh CSRF token when the server refuses a stale one', async () => {
    let sessions = 0;
    const token = { id: '00000000-0000-4000-8000-0000000000aa' };
    const { requests } = stubApi({
      ...base,
      '/api/v1/auth/session': () => {
        sessions += 1;
        return { body: buildAuthState({ csrfToken: `csrf-${sessions}` }) };
      },
      'GET /api/v1/me/tokens': {
        body: {
          items: [
            {
              ...token,
              name: 'CI',
              prefix: 'fd_ci',
              scopes: ['read'],
              expiresAt: null,
              lastUsedAt: null,
              revokedAt: null,
              createdAt: '2026-11-01T09:00:00.000Z',
            },
          ],
        },
      },
      [`DELETE /api/v1/me/tokens/${token.id}`]: (request) =>
        request.headers['x-csrf-token'] === 'csrf-1'
          ? {
              status: 403,
              body: {
                code: 'CSRF_TOKEN_INVALID',
                message: 'The X-CSRF-Token header does not match this session',
              },
            }
          : { body: null },
    });
    renderApp('/settings/tokens');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Revoke CI' }));
    await user.click(screen.getByRole('button', { name: 'Revoke token' }));
    expect(
      await screen.findByText('The X-CSRF-Token header does not match this session'),
    ).toBeInTheDocument();
    await waitFor(() => expect(sessions).toBe(2));
    // The retry carries the fresh token.
    await user.click(screen.getByRole('button', { name: 'Revoke token' }));
    await waitFor(() =>
      expect(
        requests.filter((request) => request.method === 'DELETE').map((r) => r.headers['x-csrf-token']),
      ).toEqual(['csrf-1', 'csrf-2']),
    );
  });
});
