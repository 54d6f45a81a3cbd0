import { authStateSchema } from '@flightdeck/contracts';
import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildAuthState, buildMe, signedOut } from '../../test/fixtures/identity';
import { buildBoardFixture } from '../../test/fixtures/board';
import { instanceFixture, renderApp, stubApi } from '../../test/render-app';

const base = {
  '/api/v1/instance': { body: instanceFixture },
  '/api/v1/board': { body: buildBoardFixture() },
};

async function fillAndSubmit(user: ReturnType<typeof userEvent.setup>, password = 'correct horse battery') {
  await user.type(await screen.findByLabelText('E-mail'), 'grace@example.com');
  await user.type(screen.getByLabelText('Password'), password);
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('login page', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('uses fixtures the contract accepts', () => {
    expect(() => authStateSchema.parse(signedOut())).not.toThrow();
  });

  it('signs in, sends the CSRF token and lands on the page it came from', async () => {
    let session = signedOut();
    const { requests } = stubApi({
      ...base,
      '/api/v1/auth/session': () => ({ body: session }),
      'POST /api/v1/auth/login': () => {
        session = buildAuthState({ user: buildMe('admin'), csrfToken: 'csrf-after-login' });
        return { body: session };
      },
      '/api/v1/audit/events': { body: { items: [], nextCursor: null } },
      '/api/v1/audit/verify': {
        body: { ok: true, checked: 0, firstBroken: null, verifiedAt: '2026-11-22T10:00:00.000Z' },
      },
    });
    const { router } = renderApp('/login?returnTo=%2Faudit%3Foutcome%3Ddenied');
    const user = userEvent.setup();

    const email = await screen.findByLabelText('E-mail');
    expect(email).toHaveAttribute('autocomplete', 'username');
    expect(screen.getByLabelText('Password')).toHaveAttribute('autocomplete', 'current-password');
    await fillAndSubmit(user);

    await waitFor(() => expect(router.state.location.pathname).toBe('/audit'));
    expect(router.state.location.search).toBe('?outcome=denied');
    const login = requests.find((request) => request.method === 'POST')!;
    expect(login.path).toBe('/api/v1/auth/login');
    expect(login.body).toEqual({ email: 'grace@example.com', password: 'correct horse battery' });
    expect(login.headers['x-csrf-token']).toBe('csrf-anonymous');
    expect(await screen.findByRole('heading', { name: 'Audit log' })).toBeInTheDocument();
  });

  it("shows the server's message for a wrong password and clears the password", async () => {
    stubApi({
      ...base,
      '/api/v1/auth/session': { body: signedOut() },
      'POST /api/v1/auth/login': {
        status: 401,
        body: { code: 'INVALID_CREDENTIALS', message: 'The e-mail or password is not right.' },
      },
    });
    const { router } = renderApp('/login');
    const user = userEvent.setup();
    await fillAndSubmit(user, 'wrong password');

    expect(await screen.findByRole('alert')).toHaveTextContent('The e-mail or password is not right.');
    expect(screen.getByLabelText('Password')).toHaveValue('');
    expect(screen.getByLabelText('E-mail')).toHaveValue('grace@example.com');
    expect(router.state.location.pathname).toBe('/login');
    // A wrong password is not an ended session: no "signed out" notice.
    expect(screen.queryByText('Your session has ended. Sign in again to continue.')).not.toBeInTheDocument();
  });

  it('counts down a throttled sign-in and enables the button again when the wait is over', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    stubApi({
      ...base,
      '/api/v1/auth/session': { body: signedOut() },
      'POST /api/v1/auth/login': {
        status: 429,
        headers: { 'retry-after': '3' },
        body: { code: 'LOGIN_THROTTLED', message: 'Too many attempts.', details: { retryAfterSeconds: 3 } },
      },
    });
    renderApp('/login');
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    await fillAndSubmit(user);

    expect(await screen.findByText('Too many sign-in attempts')).toBeInTheDocument();
    expect(screen.getByTestId('login-wait')).toHaveTextContent('3 seconds');
    expect(screen.getByRole('button', { name: /Wait 3 seconds/ })).toBeDisabled();

    await act(() => vi.advanceTimersByTimeAsync(1_000));
    expect(screen.getByTestId('login-wait')).toHaveTextContent('2 seconds');
    await act(() => vi.advanceTimersByTimeAsync(2_000));
    expect(screen.queryByText('Too many sign-in attempts')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeEnabled();
  });

  it('offers single sign-on with the return path and explains a failed SSO round trip', async () => {
    stubApi({
      ...base,
      '/api/v1/auth/session': { body: signedOut({ sso: { enabled: true, name: 'Okta' } }) },
    });
    renderApp('/login?returnTo=%2Fadmin%2Fusers&error=sso_state_mismatch');
    const sso = await screen.findByRole('link', { name: 'Sign in with Okta' });
    expect(sso).toHaveAttribute('href', '/api/v1/auth/oidc/login?returnTo=%2Fadmin%2Fusers');
    expect(screen.getByRole('alert')).toHaveTextContent('started in another tab');
    expect(screen.getByLabelText('Password')).toBeInTheDocument();
  });

  it('falls back to a generic message for an unknown SSO error code', async () => {
    stubApi({
      ...base,
      '/api/v1/auth/session': { body: signedOut({ sso: { enabled: true, name: 'Okta' } }) },
    });
    renderApp('/login?error=something_new');
    expect(await screen.findByRole('alert')).toHaveTextContent('Signing in with single sign-on did not work');
    expect(screen.getByRole('alert')).toHaveTextContent('something_new');
  });

  it('hides the password form when local sign-in is off', async () => {
    stubApi({
      ...base,
      '/api/v1/auth/session': {
        body: signedOut({ sso: { enabled: true, name: 'Okta' }, localLogin: false }),
      },
    });
    renderApp('/login');
    expect(await screen.findByRole('link', { name: 'Sign in with Okta' })).toBeInTheDocument();
    expect(screen.queryByLabelText('Password')).not.toBeInTheDocument();
    expect(screen.getByText(/Password sign-in is turned off/)).toBeInTheDocument();
  });

  it('never returns to another site after sign-in', async () => {
    stubApi({ ...base, '/api/v1/auth/session': { body: buildAuthState() } });
    const { router } = renderApp('/login?returnTo=%2F%2Fevil.example%2Fphish');
    await waitFor(() => expect(router.state.location.pathname).toBe('/'));
  });
});
