import { fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fixtureId } from '../../test/fixtures/identity';
import { instanceFixture, renderApp, stubApi } from '../../test/render-app';

const none = {
  source: 'none',
  environmentSlug: 'production',
  stageId: null,
  requiredApprovals: 0,
  approvers: { roles: [], teams: [], users: [] },
  distinctTeams: false,
  selfApprovalBanned: true,
  reasonRequiredToApprove: false,
  expiryMinutes: null,
  waitMinutes: 0,
  approveRollbacks: false,
  windows: [],
  updatedBy: null,
  updatedAt: null,
};

describe('approval policies (admin)', () => {
  it('sets the production policy and shows the API’s field errors by their inputs', async () => {
    let puts = 0;
    const { requests } = stubApi({
      '/api/v1/instance': { body: instanceFixture },
      '/api/v1/environments': {
        body: {
          items: [
            { id: fixtureId(), slug: 'production', name: 'Production', position: 3, tier: 'production' },
          ],
        },
      },
      '/api/v1/teams': { body: { items: [] } },
      'GET /api/v1/environments/production/policy': { body: none },
      'PUT /api/v1/environments/production/policy': (request) => {
        puts += 1;
        return puts === 1
          ? {
              status: 400,
              body: {
                code: 'UNKNOWN_APPROVERS',
                message: 'Unknown approvers',
                details: { issues: [{ field: 'approvers.users.0', message: 'no user "zed@example.com"' }] },
              },
            }
          : {
              body: {
                ...none,
                ...(request.body as object),
                source: 'environment',
                updatedBy: 'grace@example.com',
                updatedAt: new Date().toISOString(),
              },
            };
      },
    });
    renderApp('/admin/approval-policies');
    const panel = await screen.findByRole('region', { name: 'Production approval policy' });
    expect(await within(panel).findByText('No approval is needed here.')).toBeInTheDocument();

    await userEvent.click(within(panel).getByRole('button', { name: 'Edit the Production policy' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(within(dialog).getByRole('checkbox', { name: 'Approver' }));
    fireEvent.change(within(dialog).getByLabelText('Eligible people'), {
      target: { value: 'zed@example.com' },
    });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save policy' }));
    expect(await within(dialog).findByText('No user "zed@example.com".')).toBeInTheDocument();
    expect(requests.find((entry) => entry.method === 'PUT')?.body).toMatchObject({
      requiredApprovals: 1,
      approvers: { roles: ['approver'], teams: [], users: ['zed@example.com'] },
      selfApprovalBanned: true,
    });

    fireEvent.change(within(dialog).getByLabelText('Eligible people'), { target: { value: '' } });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save policy' }));
    expect(await within(panel).findByText('Needs 1 approval from approvers.')).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('adds a deny window, shows the API’s error by the window’s field, and the window in words', async () => {
    let puts = 0;
    const { requests } = stubApi({
      '/api/v1/instance': { body: instanceFixture },
      '/api/v1/environments': {
        body: {
          items: [
            { id: fixtureId(), slug: 'production', name: 'Production', position: 3, tier: 'production' },
          ],
        },
      },
      '/api/v1/teams': { body: { items: [] } },
      'GET /api/v1/environments/production/policy': { body: none },
      'PUT /api/v1/environments/production/policy': () => {
        puts += 1;
        return puts === 1
          ? {
              status: 400,
              body: {
                code: 'INVALID_BODY',
                message: 'Invalid body parameter — windows.0.timeZone: is not an IANA time zone',
                details: {
                  issues: [
                    {
                      field: 'windows.0.timeZone',
                      message: 'is not an IANA time zone such as Europe/Berlin',
                    },
                  ],
                },
              },
            }
          : {
              body: {
                ...none,
                source: 'environment',
                windows: [
                  {
                    kind: 'deny',
                    cron: '0 18 * * 5',
                    durationMinutes: 600,
                    timeZone: 'Europe/Berlin',
                    label: 'Friday evening',
                    summary: 'Friday evening (Fri 18:00–04:00 Europe/Berlin)',
                  },
                ],
              },
            };
      },
    });
    renderApp('/admin/approval-policies');
    const panel = await screen.findByRole('region', { name: 'Production approval policy' });
    await userEvent.click(await within(panel).findByRole('button', { name: 'Edit the Production policy' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText('No windows: deployments may start any time.')).toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Add window' }));
    const window = within(dialog).getByRole('group', { name: 'Window 1' });
    await userEvent.selectOptions(within(window).getByLabelText('Window 1: kind'), 'deny');
    const cron = within(window).getByLabelText('Window 1: cron');
    fireEvent.change(cron, { target: { value: '0 18 * * 5' } });
    const minutes = within(window).getByLabelText('Window 1: minutes open');
    fireEvent.change(minutes, { target: { value: '600' } });
    const zone = within(window).getByLabelText('Window 1: time zone');
    fireEvent.change(zone, { target: { value: 'Europe/Berlln' } });
    fireEvent.change(within(window).getByLabelText('Window 1: label (optional)'), {
      target: { value: 'Friday evening' },
    });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save policy' }));
    expect(
      await within(window).findByText('Is not an IANA time zone such as Europe/Berlin.'),
    ).toBeInTheDocument();
    expect(requests.find((entry) => entry.method === 'PUT')?.body).toMatchObject({
      windows: [
        {
          kind: 'deny',
          cron: '0 18 * * 5',
          durationMinutes: 600,
          timeZone: 'Europe/Berlln',
          label: 'Friday evening',
        },
      ],
    });
    fireEvent.change(zone, { target: { value: 'Europe/Berlin' } });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save policy' }));
    expect(
      await within(panel).findByText('No deployments during Friday evening (Fri 18:00–04:00 Europe/Berlin).'),
    ).toBeInTheDocument();
    expect(within(panel).getByText('Rollbacks ignore these windows.')).toBeInTheDocument();
  });
});
