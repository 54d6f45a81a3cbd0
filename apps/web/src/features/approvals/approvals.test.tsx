import { approvalRequestSchema, type ApprovalRequest } from '@flightdeck/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { buildAuthState, buildMe, fixtureId } from '../../test/fixtures/identity';
import { instanceFixture, renderApp, stubApi } from '../../test/render-app';
import { buildDeploymentDetail } from '../service/service-fixtures';
import { describePolicy } from './approval-meta';

const policy = {
  source: 'environment' as const,
  environmentSlug: 'production',
  stageId: null,
  requiredApprovals: 2,
  approvers: { roles: ['approver' as const], teams: [], users: [] },
  distinctTeams: false,
  selfApprovalBanned: true,
  reasonRequiredToApprove: false,
  expiryMinutes: 1440,
  waitMinutes: 0,
  approveRollbacks: false,
  windows: [],
  updatedBy: null,
  updatedAt: null,
};

function buildRequest(patch: Partial<ApprovalRequest> = {}, id = fixtureId()): ApprovalRequest {
  const deployment = buildDeploymentDetail({
    id,
    status: 'pending',
    environmentSlug: 'production',
    requestedBy: 'ana@example.com',
    startedAt: null,
    finishedAt: null,
  });
  return approvalRequestSchema.parse({
    deployment,
    policy,
    gates: [],
    approvals: [
      {
        id: fixtureId(),
        deploymentId: id,
        decision: 'approve',
        by: 'lee@example.com',
        team: null,
        comment: 'Dashboards look fine',
        releaseId: deployment.release.id,
        commitSha: deployment.release.commitSha,
        via: 'session',
        createdAt: new Date(Date.now() - 60_000).toISOString(),
        expiresAt: null,
        valid: true,
        releaseVersion: deployment.release.version,
        notCounted: null,
      },
    ],
    approved: 1,
    required: 2,
    canDecide: true,
    whyNot: null,
    ...patch,
  });
}

describe('approval policy in words', () => {
  it('says N of M, who, the self-approval ban and the expiry', () => {
    expect(describePolicy(policy)).toEqual([
      'Needs 2 approvals from approvers.',
      'The requester and the release’s author cannot approve it.',
      'A comment is required to reject.',
      'An approval expires after 1 day, or when the release or commit changes.',
    ]);
    expect(describePolicy({ ...policy, source: 'none', requiredApprovals: 0 })).toEqual([
      'No approval is needed here.',
    ]);
  });
});

describe('approvals inbox', () => {
  it('lists what waits with the progress, and the reason a viewer cannot decide', async () => {
    const mine = buildRequest();
    const own = buildRequest({
      canDecide: false,
      whyNot: 'You requested this deployment, so you cannot approve or reject it; another approver must',
    });
    const { calls } = stubApi({
      '/api/v1/instance': { body: instanceFixture },
      'GET /api/v1/approvals': (request) => ({
        body: { items: request.search.includes('pending') ? [mine, own] : [mine] },
      }),
    });
    renderApp('/approvals');
    const table = await screen.findByRole('table', { name: 'Mine approvals' });
    expect(within(table).getAllByRole('row')).toHaveLength(2);
    expect(table).toHaveTextContent('1 of 2 approvals');
    expect(within(table).getByRole('button', { name: /^Approve checkout-api/ })).toBeInTheDocument();
    // The nav shows how many wait for the viewer.
    expect(screen.getByRole('link', { name: /Approvals, 1 waiting for you/ })).toBeInTheDocument();

    await userEvent.click(screen.getByRole('tab', { name: 'Pending' }));
    const pending = await screen.findByRole('table', { name: 'Pending approvals' });
    await waitFor(() => expect(within(pending).getAllByRole('row')).toHaveLength(3));
    expect(pending).toHaveTextContent('You requested this deployment, so you cannot approve or reject it');
    expect(calls).toContain('/api/v1/approvals?scope=pending');
  });

  it('approves with a comment and shows a 409 with its sentence', async () => {
    const request = buildRequest();
    let attempts = 0;
    const { requests } = stubApi({
      '/api/v1/instance': { body: instanceFixture },
      'GET /api/v1/approvals': { body: { items: [request] } },
      [`POST /api/v1/deployments/${request.deployment.id}/approve`]: () => {
        attempts += 1;
        return attempts === 1
          ? {
              status: 409,
              body: { code: 'ALREADY_DECIDED', message: 'You already approved this deployment at 09:00' },
            }
          : { body: { ...request, approved: 2, approvals: request.approvals } };
      },
    });
    renderApp('/approvals');
    await userEvent.click(await screen.findByRole('button', { name: /^Approve checkout-api/ }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText('Comment (optional)'), {
      target: { value: 'Checked the canary' },
    });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Approve' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'You already approved this deployment at 09:00',
    );
    const post = requests.find((entry) => entry.method === 'POST');
    expect(post?.body).toEqual({ comment: 'Checked the canary' });

    await userEvent.click(within(dialog).getByRole('button', { name: 'Approve' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
  });
});

describe('deciding on the deployment page', () => {
  function setup(request: ApprovalRequest, replies: Parameters<typeof stubApi>[0] = {}) {
    const detail = buildDeploymentDetail({
      ...request.deployment,
      gates: [{ kind: 'approvals', state: 'fail', message: '1 of 2 approvals', until: null }],
    });
    const api = stubApi({
      '/api/v1/instance': { body: instanceFixture },
      '/api/v1/auth/session': { body: buildAuthState({ user: buildMe('approver') }) },
      'GET /api/v1/approvals': { body: { items: [] } },
      [`/api/v1/deployments/${detail.id}`]: { body: detail },
      [`GET /api/v1/deployments/${detail.id}/approval`]: { body: request },
      ...replies,
    });
    renderApp(`/deployments/${detail.id}`);
    return api;
  }

  it('shows the decisions so far and the policy, and requires a comment to reject', async () => {
    const request = buildRequest();
    const id = request.deployment.id;
    const { requests } = setup(request, {
      [`POST /api/v1/deployments/${id}/reject`]: {
        status: 403,
        body: { code: 'NOT_AN_APPROVER', message: 'Only approvers may decide on this deployment' },
      },
    });
    const panel = await screen.findByRole('region', { name: 'Approvals' });
    expect(panel).toHaveTextContent('1 of 2 approvals');
    expect(panel).toHaveTextContent('lee@example.com');
    expect(panel).toHaveTextContent('“Dashboards look fine”');
    expect(panel).toHaveTextContent('Needs 2 approvals from approvers.');

    await userEvent.click(within(panel).getByRole('button', { name: /^Reject/ }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Reject' }));
    expect(
      await within(dialog).findByText('Say why, in a few words.', { selector: '.field-error' }),
    ).toBeInTheDocument();
    expect(requests.some((entry) => entry.method === 'POST')).toBe(false);

    fireEvent.change(within(dialog).getByLabelText('Comment'), {
      target: { value: 'Migration not on staging yet' },
    });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Reject' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Only approvers may decide on this deployment',
    );
  });

  it('says why the requester cannot decide, without actions', async () => {
    setup(
      buildRequest({
        canDecide: false,
        whyNot: 'You requested this deployment, so you cannot approve or reject it; another approver must',
      }),
    );
    const panel = await screen.findByRole('region', { name: 'Approvals' });
    expect(panel).toHaveTextContent('you cannot approve or reject it');
    expect(within(panel).queryByRole('button', { name: /^Approve/ })).not.toBeInTheDocument();
  });

  it('keeps the approval history on a finished deployment: who, how, for what, and whether it counted', async () => {
    const base = buildRequest();
    const approval = base.approvals[0]!;
    const request = approvalRequestSchema.parse({
      ...base,
      deployment: { ...base.deployment, status: 'rejected', finishedAt: new Date().toISOString() },
      canDecide: false,
      whyNot: 'This deployment is rejected; it no longer waits for approval',
      approvals: [
        {
          ...approval,
          valid: false,
          notCounted: 'expired',
          expiresAt: '2026-11-20T10:00:00.000Z',
        },
        {
          ...approval,
          id: fixtureId(),
          decision: 'reject',
          by: 'kim@example.com',
          comment: 'Error budget spent',
          via: 'token',
          valid: false,
          notCounted: null,
        },
      ],
    });
    setup(request);
    const panel = await screen.findByRole('region', { name: 'Approval history' });
    const rows = within(panel).getAllByRole('listitem');
    expect(rows[0]).toHaveTextContent('Approved');
    expect(rows[0]).toHaveTextContent('lee@example.com');
    expect(rows[0]).toHaveTextContent('signed in');
    expect(rows[0]).toHaveTextContent(`for ${approval.releaseVersion} (${approval.commitSha.slice(0, 7)})`);
    expect(rows[0]).toHaveTextContent('Did not count: expired');
    expect(rows[1]).toHaveTextContent('Rejected');
    expect(rows[1]).toHaveTextContent('with an API token');
    expect(rows[1]).toHaveTextContent('“Error budget spent”');
    expect(within(panel).queryByRole('button')).not.toBeInTheDocument();
  });
});
