import type { DeploymentDetail } from '@flightdeck/contracts';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { instanceFixture, renderApp, stubApi } from '../../test/render-app';
import { buildDeploymentDetail } from '../service/service-fixtures';

const ITEM_A = '11111111-1111-4111-8111-111111111111';
const ITEM_B = '22222222-2222-4222-8222-222222222222';
const confirmedAt = new Date(Date.now() - 60_000).toISOString();

function withChecklist(requestedBy: string, confirmedB: boolean): DeploymentDetail {
  const base = buildDeploymentDetail({ status: 'pending', finishedAt: null, startedAt: null, requestedBy });
  return {
    ...base,
    checklist: {
      items: [
        { id: ITEM_A, text: 'Migrations applied on staging', confirmedBy: null, confirmedAt: null },
        {
          id: ITEM_B,
          text: 'On-call told',
          confirmedBy: confirmedB ? requestedBy : null,
          confirmedAt: confirmedB ? confirmedAt : null,
        },
      ],
      confirmed: confirmedB ? 1 : 0,
      total: 2,
    },
  };
}

describe('deployment checklist', () => {
  it('lets the requester confirm an item and shows the answer', async () => {
    // The signed-in fixture user is grace@example.com.
    const deployment = withChecklist('grace@example.com', false);
    const after = withChecklist('grace@example.com', true);
    const { requests } = stubApi({
      '/api/v1/instance': { body: instanceFixture },
      [`GET /api/v1/deployments/${deployment.id}`]: { body: deployment },
      [`POST /api/v1/deployments/${deployment.id}/checklist`]: { body: after },
    });
    renderApp(`/deployments/${deployment.id}`);

    const panel = await screen.findByRole('region', { name: 'Checklist' }, { timeout: 5000 });
    expect(within(panel).getByText('0 of 2 confirmed')).toBeInTheDocument();
    await userEvent.click(within(panel).getByRole('checkbox', { name: 'On-call told' }));

    expect(await within(panel).findByText('1 of 2 confirmed')).toBeInTheDocument();
    expect(within(panel).getByRole('checkbox', { name: 'On-call told' })).toBeChecked();
    expect(within(panel).getByRole('checkbox', { name: 'On-call told' })).toBeDisabled();
    expect(within(panel).getByText(/Confirmed by grace@example.com/)).toBeInTheDocument();
    const post = requests.find((entry) => entry.method === 'POST');
    expect(post?.body).toEqual({ itemId: ITEM_B, checked: true });
  });

  it('shows others who confirmed what, without checkboxes', async () => {
    const deployment = withChecklist('someone@example.com', true);
    stubApi({
      '/api/v1/instance': { body: instanceFixture },
      [`/api/v1/deployments/${deployment.id}`]: { body: deployment },
    });
    renderApp(`/deployments/${deployment.id}`);

    const panel = await screen.findByRole('region', { name: 'Checklist' }, { timeout: 5000 });
    expect(within(panel).queryByRole('checkbox')).toBeNull();
    expect(
      within(panel).getByText('Only the requester, someone@example.com, confirms these.'),
    ).toBeInTheDocument();
    const items = within(panel).getAllByRole('listitem');
    expect(items[0]).toHaveTextContent('Migrations applied on stagingNot confirmed');
    expect(items[1]).toHaveTextContent(/On-call toldConfirmed by someone@example.com/);
  });
});
