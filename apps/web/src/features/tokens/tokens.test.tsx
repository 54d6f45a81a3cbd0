import { createdTokenSchema, type ApiToken } from '@flightdeck/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { buildAuthState, buildMe, buildToken } from '../../test/fixtures/identity';
import { instanceFixture, renderApp, stubApi } from '../../test/render-app';

const SECRET = 'fd_n3wt0k3n_s3cr3t_value_only_once';

function setup(options: { role?: 'admin' | 'viewer'; tokens?: ApiToken[] } = {}) {
  let tokens = options.tokens ?? [
    buildToken({ name: 'GitHub Actions: checkout-api', prefix: 'fd_a1b2c3', scopes: ['deploy', 'read'] }),
    buildToken({
      name: 'Old laptop script',
      prefix: 'fd_zz9',
      scopes: ['read'],
      revokedAt: '2026-11-10T09:00:00.000Z',
      lastUsedAt: null,
    }),
  ];
  const stub = stubApi({
    '/api/v1/instance': { body: instanceFixture },
    '/api/v1/auth/session': {
      body: buildAuthState({ user: buildMe(options.role ?? 'admin'), csrfToken: 'csrf-tokens' }),
    },
    'GET /api/v1/me/tokens': () => ({ body: { items: tokens } }),
    'POST /api/v1/me/tokens': (request) => {
      const body = request.body as { name: string; scopes: ApiToken['scopes']; expiresInDays: number | null };
      const created = createdTokenSchema.parse({
        ...buildToken({ name: body.name, prefix: 'fd_n3wt0k', scopes: body.scopes, lastUsedAt: null }),
        token: SECRET,
      });
      const { token: _secret, ...listed } = created;
      tokens = [listed, ...tokens];
      return { status: 201, body: created };
    },
  });
  return stub;
}

describe('API tokens page', () => {
  it('lists tokens by name, prefix, scopes and state, never a secret', async () => {
    setup();
    renderApp('/settings/tokens');
    const table = await screen.findByRole('table', { name: 'Your API tokens' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows[0]).toHaveTextContent('GitHub Actions: checkout-api');
    expect(rows[0]).toHaveTextContent('fd_a1b2c3…');
    expect(within(rows[0]!).getByText('deploy')).toHaveClass('badge');
    expect(within(rows[0]!).getByText('Active')).toBeInTheDocument();
    expect(rows[1]).toHaveTextContent('Revoked');
    expect(rows[1]).toHaveTextContent('Never used');
    expect(within(rows[1]!).queryByRole('button', { name: /Revoke/ })).not.toBeInTheDocument();
  });

  it('creates a token, shows the secret once with a warning, and the list never shows it', async () => {
    const { requests } = setup();
    renderApp('/settings/tokens');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Create token' }));

    const dialog = screen.getByRole('dialog', { name: 'Create an API token' });
    await user.type(within(dialog).getByLabelText('Name'), 'Release bot');
    await user.click(within(dialog).getByRole('checkbox', { name: 'deploy' }));
    await user.selectOptions(within(dialog).getByLabelText('Expires after'), '30');
    await user.click(within(dialog).getByRole('button', { name: 'Create token' }));

    const secretDialog = await screen.findByRole('dialog', { name: 'Copy your new token' });
    expect(secretDialog).toHaveTextContent('You will not see this token again.');
    expect(within(secretDialog).getByDisplayValue(SECRET)).toHaveAttribute('readonly');
    expect(within(secretDialog).getByRole('button', { name: 'Copy' })).toBeInTheDocument();

    const create = requests.find((request) => request.method === 'POST')!;
    expect(create.body).toEqual({ name: 'Release bot', scopes: ['read', 'deploy'], expiresInDays: 30 });
    expect(create.headers['x-csrf-token']).toBe('csrf-tokens');

    await user.click(within(secretDialog).getByRole('button', { name: 'I have copied it' }));
    const table = await screen.findByRole('table', { name: 'Your API tokens' });
    await waitFor(() => expect(table).toHaveTextContent('Release bot'));
    expect(document.body).not.toHaveTextContent(SECRET);
    expect(screen.queryByDisplayValue(SECRET)).not.toBeInTheDocument();

    // Opening the dialog again starts fresh: the secret is gone for good.
    await user.click(screen.getByRole('button', { name: 'Create token' }));
    expect(screen.getByRole('dialog', { name: 'Create an API token' })).toBeInTheDocument();
    expect(document.body).not.toHaveTextContent(SECRET);
  });

  it('warns when a token never expires and requires a name and a scope', async () => {
    const { requests } = setup();
    renderApp('/settings/tokens');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Create token' }));
    const dialog = screen.getByRole('dialog', { name: 'Create an API token' });
    expect(within(dialog).getByLabelText('Expires after')).toHaveValue('90');
    await user.selectOptions(within(dialog).getByLabelText('Expires after'), 'never');
    expect(dialog).toHaveTextContent('A token that never expires stays valid until someone revokes it');

    await user.click(within(dialog).getByRole('checkbox', { name: 'read' }));
    await user.click(within(dialog).getByRole('button', { name: 'Create token' }));
    expect(within(dialog).getByLabelText('Name')).toHaveAccessibleDescription(/Must not be empty\./);
    expect(dialog).toHaveTextContent('Must name at least one scope.');
    expect(requests.some((request) => request.method === 'POST')).toBe(false);
  });

  it('offers only the scopes your role allows, and says why the others are off', async () => {
    setup({ role: 'viewer' });
    renderApp('/settings/tokens');
    await userEvent.click(await screen.findByRole('button', { name: 'Create token' }));
    const dialog = screen.getByRole('dialog', { name: 'Create an API token' });
    expect(within(dialog).getByRole('checkbox', { name: 'read' })).toBeEnabled();
    const deploy = within(dialog).getByRole('checkbox', { name: 'deploy' });
    expect(deploy).toBeDisabled();
    expect(deploy.closest('label')).toHaveTextContent('Not available: your role (Viewer) cannot do this.');
  });

  it('revokes a token after confirmation, with the CSRF header', async () => {
    const token = buildToken({ name: 'CI', prefix: 'fd_ci01' });
    let revoked = false;
    const { requests } = stubApi({
      '/api/v1/instance': { body: instanceFixture },
      '/api/v1/auth/session': { body: buildAuthState({ csrfToken: 'csrf-revoke' }) },
      'GET /api/v1/me/tokens': () => ({
        body: { items: [revoked ? { ...token, revokedAt: '2026-11-22T10:00:00.000Z' } : token] },
      }),
      [`DELETE /api/v1/me/tokens/${token.id}`]: () => {
        revoked = true;
        return { body: { ...token, revokedAt: '2026-11-22T10:00:00.000Z' } };
      },
    });
    renderApp('/settings/tokens');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Revoke CI' }));
    const confirm = screen.getByRole('dialog', { name: 'Revoke “CI”?' });
    expect(confirm).toHaveTextContent('Anything using fd_ci01… stops working at once.');
    expect(requests.some((request) => request.method === 'DELETE')).toBe(false);
    await user.click(within(confirm).getByRole('button', { name: 'Revoke token' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(await screen.findByText('Revoked')).toBeInTheDocument();
    const call = requests.find((request) => request.method === 'DELETE')!;
    expect(call.path).toBe(`/api/v1/me/tokens/${token.id}`);
    expect(call.headers['x-csrf-token']).toBe('csrf-revoke');
  });
});
