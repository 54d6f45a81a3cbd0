import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { buildMe } from '../../test/fixtures/identity';
import { detail, openDevSettings, RUNNING_ID, setup } from './stage-settings-fixtures';

describe('stage settings', () => {
  it('opens from the pipeline node with the stage’s settings, sandbox labelled as simulated', async () => {
    setup();
    const dialog = await openDevSettings();
    const sandbox = within(dialog).getByRole('radio', { name: /Sandbox/ });
    expect(sandbox).toBeChecked();
    expect(sandbox).toHaveAccessibleDescription('Built-in simulated target: nothing real is deployed.');
    expect(within(dialog).getByText('Simulated')).toBeInTheDocument();
    expect(within(dialog).getByRole('radio', { name: /Record/ })).not.toBeChecked();
    expect(within(dialog).getByLabelText('Duration (seconds)')).toHaveValue('20');
    expect(within(dialog).getByLabelText('Failure rate (%)')).toHaveValue('10');
    expect(within(dialog).getByLabelText('Health after a rollout')).toHaveValue('healthy');
    // 600 s and 1800 s in the largest unit that keeps them whole.
    expect(within(dialog).getByLabelText('Soak time')).toHaveValue('10');
    expect(within(dialog).getByLabelText('Soak time unit')).toHaveValue('minutes');
    expect(within(dialog).getByLabelText('Deadline')).toHaveValue('30');
    expect(within(dialog).getByLabelText('Deadline unit')).toHaveValue('minutes');
    // The first render loads the service page's lazy chunk on a busy machine.
  }, 30_000);

  it('sends only what changed, toasts, closes and refetches the stage, pipeline and board', async () => {
    const { patches, requests } = setup();
    const dialog = await openDevSettings();
    const soak = within(dialog).getByLabelText('Soak time');
    await userEvent.clear(soak);
    await userEvent.type(soak, '2');
    await userEvent.selectOptions(within(dialog).getByLabelText('Soak time unit'), 'hours');
    const before = requests.length;
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save settings' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    // The driver was left alone, so it is not sent: no STAGE_BUSY for a soak change during a rollout.
    expect(patches().map((r) => r.body)).toEqual([{ soakSeconds: 7200 }]);
    expect(patches()[0]!.headers['x-csrf-token']).toBe('csrf-token-1');
    expect(await screen.findByText('Dev settings saved')).toBeInTheDocument();
    expect(screen.getByText(/Checkout API: Sandbox driver, soak 2h, deadline 30m/)).toBeInTheDocument();
    await waitFor(() => {
      const after = requests.slice(before).map((r) => `${r.method} ${r.path}`);
      expect(after).toContain('GET /api/v1/stages');
      expect(after).toContain('GET /api/v1/board');
      expect(after).toContain('GET /api/v1/services/checkout-api');
    });
  });

  it('switches to a webhook: a secret is required until one is stored, the rest has defaults', async () => {
    const { patches } = setup();
    const dialog = await openDevSettings();
    await userEvent.click(within(dialog).getByRole('radio', { name: /Webhook/ }));
    expect(within(dialog).queryByLabelText('Duration (seconds)')).not.toBeInTheDocument();
    expect(within(dialog).getByText(/\{deploymentId\}/)).toBeInTheDocument();

    await userEvent.click(within(dialog).getByRole('button', { name: 'Save settings' }));
    expect(await within(dialog).findByText('Enter the URL of your endpoint.')).toBeInTheDocument();
    expect(
      within(dialog).getByText('Required: this stage has no webhook secret stored yet.'),
    ).toBeInTheDocument();
    expect(within(dialog).getByLabelText('Endpoint URL')).toHaveAttribute('aria-invalid', 'true');
    expect(patches()).toHaveLength(0);

    await userEvent.type(within(dialog).getByLabelText('Endpoint URL'), 'https://deploy.example.com/hook');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Generate' }));
    const secret = within(dialog).getByLabelText('Secret');
    expect(secret).toHaveAttribute('type', 'text');
    expect((secret as HTMLInputElement).value).toMatch(/^[0-9a-f]{64}$/);
    expect(within(dialog).getByText(/never shows it again/)).toBeInTheDocument();

    await userEvent.click(within(dialog).getByRole('button', { name: 'Save settings' }));
    await waitFor(() => expect(patches()).toHaveLength(1));
    expect(patches()[0]!.body).toEqual({
      driver: {
        kind: 'webhook',
        config: {
          url: 'https://deploy.example.com/hook',
          secret: (secret as HTMLInputElement).value,
          statusUrl: null,
          timeoutSeconds: 10,
          maxAttempts: 3,
          pollIntervalSeconds: 5,
        },
      },
    });
  });

  it('keeps a stored webhook secret when the field is left empty', async () => {
    const { patches } = setup({
      stage: (stage) =>
        detail(stage, {
          driverKind: 'webhook',
          driverConfig: {
            url: 'https://deploy.example.com/hook',
            statusUrl: 'https://deploy.example.com/status/{externalId}',
            timeoutSeconds: 10,
            maxAttempts: 3,
            pollIntervalSeconds: 5,
            secretSet: true,
          },
        }),
    });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Settings of the Dev stage' }, { timeout: 15_000 }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Dev settings' });
    expect(await within(dialog).findByRole('radio', { name: /Webhook/ })).toBeChecked();
    expect(within(dialog).getByText(/A secret is stored — leave empty to keep it/)).toBeInTheDocument();
    expect(within(dialog).getByLabelText('Secret')).toHaveValue('');
    expect(within(dialog).getByLabelText('Secret')).toHaveAttribute('type', 'password');
    expect(within(dialog).getByLabelText('Status URL (optional)')).toHaveValue(
      'https://deploy.example.com/status/{externalId}',
    );
    const attempts = within(dialog).getByLabelText('Attempts');
    await userEvent.clear(attempts);
    await userEvent.type(attempts, '5');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save settings' }));
    await waitFor(() => expect(patches()).toHaveLength(1));
    expect(patches()[0]!.body).toEqual({
      driver: {
        kind: 'webhook',
        config: {
          url: 'https://deploy.example.com/hook',
          statusUrl: 'https://deploy.example.com/status/{externalId}',
          timeoutSeconds: 10,
          maxAttempts: 5,
          pollIntervalSeconds: 5,
        },
      },
    });
  });

  it('names limits in the user’s units before sending', async () => {
    const { patches } = setup();
    const dialog = await openDevSettings();
    const rate = within(dialog).getByLabelText('Failure rate (%)');
    await userEvent.clear(rate);
    await userEvent.type(rate, '150');
    const deadline = within(dialog).getByLabelText('Deadline');
    await userEvent.clear(deadline);
    await userEvent.type(deadline, '2');
    await userEvent.selectOptions(within(dialog).getByLabelText('Deadline unit'), 'days');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save settings' }));
    expect(await within(dialog).findByText('Must be from 0 to 100 %.')).toBeInTheDocument();
    expect(within(dialog).getByText('Must be from 30 seconds to 1 day.')).toBeInTheDocument();
    expect(patches()).toHaveLength(0);
  });

  it('shows the API’s field errors next to their fields', async () => {
    setup({
      patch: () => ({
        status: 400,
        body: {
          code: 'INVALID_BODY',
          message: 'Invalid body parameter — deadlineSeconds: too small',
          details: { issues: [{ field: 'deadlineSeconds', message: 'too small: expected at least 30' }] },
        },
      }),
    });
    const dialog = await openDevSettings();
    const deadline = within(dialog).getByLabelText('Deadline');
    await userEvent.clear(deadline);
    await userEvent.type(deadline, '45');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save settings' }));
    expect(await within(dialog).findByText('Too small: expected at least 30.')).toBeInTheDocument();
    expect(deadline).toHaveAttribute('aria-invalid', 'true');
    expect(deadline).toHaveAccessibleDescription(/Too small: expected at least 30\./);
    expect(screen.getByRole('dialog', { name: 'Dev settings' })).toBeInTheDocument();
  });

  it('explains STAGE_BUSY with a link to the running deployment', async () => {
    setup({
      patch: () => ({
        status: 409,
        body: {
          code: 'STAGE_BUSY',
          message: 'A deployment of this stage is running; change the driver once it has finished',
          details: { deploymentId: RUNNING_ID, status: 'running' },
        },
      }),
    });
    const dialog = await openDevSettings();
    await userEvent.click(within(dialog).getByRole('radio', { name: /Record/ }));
    expect(within(dialog).getByText(/POST \/api\/v1\/deployments\/\{id\}\/report/)).toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save settings' }));
    // The dialog's other sections (policy, checklist) may carry alerts of their own: take the save's.
    const title = await within(dialog).findByText('Not saved: this stage is busy');
    const alert = title.closest<HTMLElement>('[role="alert"]')!;
    expect(alert).toHaveTextContent(
      'A deployment is running on this stage; change the driver when it has finished.',
    );
    expect(within(alert).getByText('Running')).toBeInTheDocument();
    expect(within(alert).getByRole('link', { name: 'View the deployment' })).toHaveAttribute(
      'href',
      `/deployments/${RUNNING_ID}`,
    );
    // Shown in the dialog, not as a toast as well.
    expect(screen.queryByText('The change was not saved')).not.toBeInTheDocument();
  });

  it('says so when nothing changed instead of sending an empty change', async () => {
    const { patches } = setup();
    const dialog = await openDevSettings();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save settings' }));
    expect(
      await within(dialog).findByText('Nothing changed, so there is nothing to save.'),
    ).toBeInTheDocument();
    expect(patches()).toHaveLength(0);
  });

  it('is keyboard reachable: the node’s button opens with Enter, driver cards are native radios', async () => {
    setup();
    const button = await screen.findByRole(
      'button',
      { name: 'Settings of the Dev stage' },
      { timeout: 15_000 },
    );
    button.focus();
    await userEvent.keyboard('{Enter}');
    const dialog = await screen.findByRole('dialog', { name: 'Dev settings' });
    const sandbox = await within(dialog).findByRole('radio', { name: /Sandbox/ });
    expect(
      within(dialog)
        .getAllByRole('radio')
        .map((radio) => radio.getAttribute('name')),
    ).toEqual(['driver-kind', 'driver-kind', 'driver-kind', 'driver-kind', 'driver-kind']);
    sandbox.focus();
    await userEvent.keyboard(' ');
    expect(sandbox).toBeChecked();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
  });

  it('shows viewers the settings as text, with nothing to change or save', async () => {
    const { patches } = setup({ me: buildMe('viewer') });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Settings of the Dev stage' }, { timeout: 15_000 }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Dev settings' });
    await within(dialog).findByText(/You can view these settings/);
    expect(within(dialog).getByText('Sandbox')).toBeInTheDocument();
    expect(within(dialog).getByText('10m')).toBeInTheDocument();
    expect(within(dialog).queryAllByRole('textbox')).toHaveLength(0);
    expect(within(dialog).queryAllByRole('radio')).toHaveLength(0);
    expect(within(dialog).queryByRole('button', { name: 'Save settings' })).not.toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Done' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(patches()).toHaveLength(0);
  });

  it('counts a team role on the owning team, not on another team', async () => {
    const team = (slug: string) => ({
      team: { id: '00000000-0000-4000-8000-000000000001', slug, name: slug },
      role: 'deployer' as const,
    });
    const other = buildMe('viewer', {
      memberships: [team('search')],
      permissions: ['catalog:read', 'catalog:write'],
    });
    const { unmount } = setup({ me: other });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Settings of the Dev stage' }, { timeout: 15_000 }),
    );
    const readOnly = await screen.findByRole('dialog', { name: 'Dev settings' });
    await within(readOnly).findByText(/You can view these settings/);
    expect(within(readOnly).queryByRole('button', { name: 'Save settings' })).not.toBeInTheDocument();
    unmount();

    const owner = buildMe('viewer', {
      memberships: [team('payments')],
      permissions: ['catalog:read', 'catalog:write'],
    });
    setup({ me: owner });
    const dialog = await openDevSettings();
    expect(within(dialog).getByRole('button', { name: 'Save settings' })).toBeInTheDocument();
  });
});
