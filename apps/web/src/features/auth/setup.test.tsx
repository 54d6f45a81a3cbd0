import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { buildBoardFixture } from '../../test/fixtures/board';
import { buildAuthState, buildMe, signedOut } from '../../test/fixtures/identity';
import { instanceFixture, renderApp, stubApi } from '../../test/render-app';
import { validateSetup } from './setup-form';

const firstRun = () => signedOut({ setupRequired: true });
const valid = {
  setupToken: 'tok_123',
  name: 'Grace Hopper',
  email: 'grace@example.com',
  password: 'correct horse battery',
  confirm: 'correct horse battery',
};

async function fill(user: ReturnType<typeof userEvent.setup>, values: Partial<typeof valid>) {
  const labels: Record<keyof typeof valid, string> = {
    setupToken: 'Setup token',
    name: 'Your name',
    email: 'E-mail',
    password: 'Password',
    confirm: 'Confirm password',
  };
  for (const [field, value] of Object.entries(values)) {
    if (value) await user.type(screen.getByLabelText(labels[field as keyof typeof valid]), value);
  }
}

describe('first-run setup', () => {
  it('validates with the contract rules: token, e-mail, 12-character password, matching confirmation', () => {
    expect(validateSetup(valid)).toEqual({});
    const errors = validateSetup({
      ...valid,
      setupToken: ' ',
      email: 'nope',
      password: 'short',
      confirm: 'short',
    });
    expect(errors.setupToken).toBe('Is required.');
    expect(errors.email).toBe('Must be an e-mail address.');
    expect(errors.password).toBe('Must be at least 12 characters.');
    expect(validateSetup({ ...valid, confirm: 'correct horse battery!' }).confirm).toBe(
      'The two passwords do not match.',
    );
  });

  it('explains where the token is and shows each field error without calling the API', async () => {
    const { requests } = stubApi({ '/api/v1/auth/session': { body: firstRun() } });
    renderApp('/setup');
    const user = userEvent.setup();
    expect(await screen.findByRole('heading', { name: 'Set up Flightdeck' })).toBeInTheDocument();
    expect(screen.getByText('Where is the setup token?').parentElement).toHaveTextContent('setup-token');
    expect(screen.getByText('Where is the setup token?').parentElement).toHaveTextContent('log');

    await fill(user, { name: 'Grace', email: 'grace@example.com', password: 'short', confirm: 'short' });
    await user.click(screen.getByRole('button', { name: 'Create admin and sign in' }));

    expect(screen.getByLabelText('Setup token')).toHaveAccessibleDescription(/Is required\./);
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription(/Must be at least 12 characters\./);
    expect(screen.getByLabelText('Password')).toHaveAttribute('aria-invalid', 'true');
    expect(requests.filter((request) => request.method === 'POST')).toHaveLength(0);
  });

  it('puts a rejected setup token next to its field', async () => {
    stubApi({
      '/api/v1/auth/session': { body: firstRun() },
      'POST /api/v1/setup': {
        status: 403,
        body: { code: 'INVALID_SETUP_TOKEN', message: 'That is not the setup token of this server.' },
      },
    });
    renderApp('/setup');
    const user = userEvent.setup();
    await screen.findByRole('heading', { name: 'Set up Flightdeck' });
    await fill(user, valid);
    await user.click(screen.getByRole('button', { name: 'Create admin and sign in' }));
    await waitFor(() =>
      expect(screen.getByLabelText('Setup token')).toHaveAccessibleDescription(
        /That is not the setup token of this server\./,
      ),
    );
  });

  it('creates the first admin and lands on the board, signed in', async () => {
    let session = firstRun();
    const { requests } = stubApi({
      '/api/v1/instance': { body: instanceFixture },
      '/api/v1/board': { body: buildBoardFixture() },
      '/api/v1/auth/session': () => ({ body: session }),
      'POST /api/v1/setup': () => {
        session = buildAuthState({ user: buildMe('admin') });
        return { status: 201, body: session };
      },
    });
    const { router } = renderApp('/setup');
    const user = userEvent.setup();
    await screen.findByRole('heading', { name: 'Set up Flightdeck' });
    await fill(user, valid);
    await user.click(screen.getByRole('button', { name: 'Create admin and sign in' }));

    expect(await screen.findByRole('grid', { name: 'Promotion board' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/');
    expect(requests.find((request) => request.method === 'POST')?.body).toEqual({
      setupToken: 'tok_123',
      name: 'Grace Hopper',
      email: 'grace@example.com',
      password: 'correct horse battery',
    });
  });
});
