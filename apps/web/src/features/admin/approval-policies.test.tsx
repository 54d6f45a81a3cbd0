import { screen, within } from '@testing-library/react';
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
    await userEvent.type(within(dialog).getByLabelText('Eligible people'), 'zed@example.com');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save policy' }));
    expect(await within(dialog).findByText('No user "zed@example.com".')).toBeInTheDocument();
    expect(requests.find((entry) => entry.method === 'PUT')?.body).toMatchObject({
      requiredApprovals: 1,
      approvers: { roles: ['approver'], teams: [], users: ['zed@example.com'] },
      selfApprovalBanned: true,
    });

    await userEvent.clear(within(dialog).getByLabelText('Eligible people'));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save policy' }));
    expect(await within(panel).findByText('Needs 1 approval from approvers.')).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });
});
