import type { Role } from '@flightdeck/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { buildAuthState, buildMe } from '../../test/fixtures/identity';
import { instanceFixture, renderApp, stubApi } from '../../test/render-app';
import { buildDeploymentDetail } from '../service/service-fixtures';

const TRAIN_ID = '00000000-0000-4000-8000-0000000a1a1a';

function setup(deployment: ReturnType<typeof buildDeploymentDetail>, role: Role = 'admin') {
  let current = deployment;
  const api = stubApi({
    '/api/v1/instance': { body: instanceFixture },
    '/api/v1/auth/session': { body: buildAuthState({ user: buildMe(role) }) },
    [`GET /api/v1/deployments/${deployment.id}`]: () => ({ body: current }),
    [`POST /api/v1/deployments/${deployment.id}/cancel`]: () => {
      current = { ...current, status: 'cancelled', finishedAt: new Date().toISOString(), gates: [] };
      return { body: current };
    },
  });
  renderApp(`/deployments/${deployment.id}`);
  return api;
}

describe('deployment page: live status and cancelling', () => {
  it('says why a pending deployment waits, and cancels it with a reason after confirming', async () => {
    const deployment = buildDeploymentDetail({
      status: 'pending',
      queuedAt: null,
      startedAt: null,
      finishedAt: null,
      deadlineAt: null,
      gates: [
        { kind: 'upstream', state: 'pass', message: 'v1.5.0 succeeded in dev.', until: null },
        {
          kind: 'soak',
          state: 'waiting',
          message: 'v1.5.0 has soaked 10 of 30 minutes in dev.',
          until: '2026-11-22T10:20:00.000Z',
        },
      ],
    });
    const { requests } = setup(deployment);

    const gates = await screen.findByRole('region', { name: 'Why is this waiting?' });
    const items = within(within(gates).getByRole('list', { name: 'Gates' })).getAllByRole('listitem');
    expect(items[0]).toHaveTextContent(/^WaitingSoak timev1\.5\.0 has soaked 10 of 30 minutes in dev\./);
    expect(screen.getByText('Set when it is queued')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Cancel deployment…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Cancel v1.5.0 to staging?' });
    expect(dialog).toHaveTextContent('It has not started: nothing reaches the stage.');
    await userEvent.type(within(dialog).getByLabelText('Reason (optional)'), 'Wrong release');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel deployment' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const post = requests.find((request) => request.method === 'POST');
    expect(post?.path).toBe(`/api/v1/deployments/${deployment.id}/cancel`);
    expect(post?.body).toEqual({ reason: 'Wrong release' });
    expect(await screen.findByText('Cancelled', { selector: '.page-actions .status-label' })).toBeVisible();
    expect(screen.queryByRole('button', { name: 'Cancel deployment…' })).toBeNull();
  });

  it('offers no cancel once the deployment has finished, and shows driver, deadline, break glass and train', async () => {
    const deployment = buildDeploymentDetail({
      status: 'succeeded',
      driverKind: 'sandbox',
      driverExternalId: 'sandbox-42',
      breakGlass: true,
      reason: 'INC-231 hotfix',
      trainId: TRAIN_ID,
    });
    setup(deployment);
    expect(await screen.findByRole('heading', { level: 1, name: 'v1.5.0 to staging' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Cancel deployment/ })).toBeNull();
    expect(screen.getByRole('note')).toHaveTextContent(
      'Break glass: gates were overriddenAna Lima deployed through failing gates. Reason: INC-231 hotfix',
    );
    const driver = screen.getByText('Driver').parentElement!;
    expect(driver).toHaveTextContent('Sandboxsandbox-42');
    expect(screen.getByRole('link', { name: 'View the train' })).toHaveAttribute(
      'href',
      `/trains/${TRAIN_ID}`,
    );
  });

  it('enables cancel for a running deployment only for people who may deploy', async () => {
    const running = buildDeploymentDetail({ status: 'running', finishedAt: null });
    setup(running, 'viewer');
    expect(await screen.findByRole('heading', { level: 1, name: 'v1.5.0 to staging' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Cancel deployment/ })).toBeNull();
  });

  it('enables cancel for a running deployment and warns that the driver may have changed things', async () => {
    const running = buildDeploymentDetail({ status: 'verifying', finishedAt: null });
    setup(running, 'deployer');
    await userEvent.click(await screen.findByRole('button', { name: 'Cancel deployment…' }));
    expect(await screen.findByRole('dialog')).toHaveTextContent(/The driver is asked to stop where it can/);
    expect(screen.getByText(/Times out/)).toBeInTheDocument();
  });
});
