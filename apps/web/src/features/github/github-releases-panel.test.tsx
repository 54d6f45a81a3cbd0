import { type ServiceGitHub, serviceGitHubSchema } from '@flightdeck/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { instanceFixture, renderApp, stubApi, type RecordedRequest } from '../../test/render-app';
import { buildServiceFixtures } from '../service/service-fixtures';

function github(patch: Partial<ServiceGitHub> = {}): ServiceGitHub {
  return serviceGitHubSchema.parse({
    serviceSlug: 'checkout-api',
    repository: { owner: 'acme', name: 'checkout' },
    defaultBranch: 'main',
    rules: { push: false, workflowRun: true, workflow: 'Deploy', releasePublished: true, tag: false },
    polling: false,
    connection: {
      apiConfigured: true,
      webhooksConfigured: false,
      webhookPath: '/api/v1/integrations/github/webhook',
    },
    recentDeliveries: [
      {
        deliveryId: 'd-1',
        event: 'release',
        action: 'published',
        state: 'done',
        outcome: 'checkout-api v2.4.0 created',
        receivedAt: new Date().toISOString(),
      },
      {
        deliveryId: 'd-2',
        event: 'push',
        action: null,
        state: 'failed',
        outcome: 'GitHub answered 404: Not Found',
        receivedAt: new Date().toISOString(),
      },
    ],
    ...patch,
  });
}

function setup(put?: (request: RecordedRequest) => { status?: number; body: unknown }) {
  const data = buildServiceFixtures();
  const stub = stubApi({
    '/api/v1/instance': { body: instanceFixture },
    '/api/v1/services/checkout-api': { body: data.service },
    '/api/v1/environments': { body: { items: data.environments } },
    '/api/v1/stages': { body: { items: data.stages } },
    '/api/v1/board': { body: data.board },
    '/api/v1/releases': { body: { items: data.releases, nextCursor: null } },
    '/api/v1/deployments': { body: { items: [], nextCursor: null } },
    'GET /api/v1/services/checkout-api/github': { body: github() },
    ...(put ? { 'PUT /api/v1/services/checkout-api/github': put } : {}),
  });
  return { ...stub, ...renderApp('/services/checkout-api') };
}

describe('releases from GitHub on the service page', () => {
  it('says which events make releases, the connection and the latest deliveries by colour, icon and text', async () => {
    setup();
    const section = await screen.findByRole('region', { name: 'Releases from GitHub' }, { timeout: 5000 });
    await within(section).findByText(/A release is made from/);
    expect(section).toHaveTextContent(
      'A release is made from a successful run of the “Deploy” workflow on the default branch; a published GitHub release.',
    );
    expect(within(section).getByText('Webhooks: not configured')).toBeInTheDocument();
    expect(within(section).getByText('GitHub API: configured')).toBeInTheDocument();
    const rows = within(section).getAllByRole('row').slice(1);
    expect(rows[0]).toHaveTextContent('release.publishedDonecheckout-api v2.4.0 created');
    expect(rows[1]).toHaveTextContent('pushFailedGitHub answered 404: Not Found');
    expect(rows[1]!.querySelector('.status-pill')).toHaveAttribute('data-tone', 'danger');
  });

  it('edits the rules in a dialog and sends them, showing a refusal in the dialog', async () => {
    let attempt = 0;
    const { requests } = setup((request) => {
      attempt += 1;
      if (attempt === 1)
        return {
          status: 409,
          body: { code: 'SERVICE_HAS_NO_REPOSITORY', message: 'checkout-api names no GitHub repository' },
        };
      return { body: github({ rules: request.body as ServiceGitHub['rules'], polling: true }) };
    });
    const user = userEvent.setup();
    const section = await screen.findByRole('region', { name: 'Releases from GitHub' }, { timeout: 5000 });
    await user.click(await within(section).findByRole('button', { name: 'Edit rules' }));
    const dialog = await screen.findByRole('dialog', { name: 'Releases from GitHub' });
    await user.click(within(dialog).getByRole('checkbox', { name: /A push to main/ }));
    await user.click(within(dialog).getByRole('checkbox', { name: /Poll the repository/ }));
    await user.clear(within(dialog).getByRole('textbox', { name: 'Only this workflow (optional)' }));
    await user.click(within(dialog).getByRole('button', { name: 'Save rules' }));
    expect(await within(dialog).findByText('checkout-api names no GitHub repository')).toBeInTheDocument();

    await user.click(within(dialog).getByRole('button', { name: 'Save rules' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const sent = requests.filter((r) => r.method === 'PUT').at(-1)!;
    expect(sent.body).toEqual({
      rules: { push: true, workflowRun: true, workflow: null, releasePublished: true, tag: false },
      polling: true,
    });
  });
});
