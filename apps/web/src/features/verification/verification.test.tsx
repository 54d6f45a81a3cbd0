import type { StageVerification, VerificationStatus } from '@flightdeck/contracts';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { queryKeys } from '../../config/query-keys';
import { instanceFixture, renderApp, stubApi, type RecordedRequest } from '../../test/render-app';
import { buildDeploymentDetail, buildServiceFixtures } from '../service/service-fixtures';

const UNTIL = new Date(Date.now() + 5 * 60_000).toISOString();

function running(): VerificationStatus {
  return {
    startedAt: new Date().toISOString(),
    until: UNTIL,
    outcome: 'running',
    checks: [
      {
        name: 'Driver health',
        kind: 'driver',
        state: 'passing',
        message: 'Healthy',
        checkedAt: new Date().toISOString(),
      },
      {
        name: 'healthz',
        kind: 'http',
        state: 'failing',
        message: 'HTTP 503 (expected 200), 1 of 2 failures allowed',
        checkedAt: new Date().toISOString(),
      },
      { name: 'error rate', kind: 'metric', state: 'pending', message: '', checkedAt: null },
    ],
  };
}

describe('verification on the deployment page', () => {
  it('shows the window, the outcome and each check by colour, icon and text, and follows it live', async () => {
    let verification = running();
    const deployment = buildDeploymentDetail({ status: 'verifying', finishedAt: null, verification });
    stubApi({
      '/api/v1/instance': { body: instanceFixture },
      [`/api/v1/deployments/${deployment.id}`]: () => ({
        body: {
          ...deployment,
          verification,
          status: verification.outcome === 'failed' ? 'failed' : 'verifying',
        },
      }),
    });
    const { queryClient } = renderApp(`/deployments/${deployment.id}`);

    const panel = await screen.findByRole('region', { name: 'Verification' }, { timeout: 5000 });
    expect(within(panel).getByText('Verifying')).toBeInTheDocument();
    expect(within(panel).getByText(/Watching until/)).toBeInTheDocument();
    const checks = within(within(panel).getByRole('list', { name: 'Verification checks' })).getAllByRole(
      'listitem',
    );
    expect(checks.map((check) => check.dataset.state)).toEqual(['passing', 'failing', 'pending']);
    expect(checks[0]).toHaveTextContent('Passing');
    expect(checks[1]).toHaveTextContent('FailinghealthzHTTPHTTP 503 (expected 200), 1 of 2 failures allowed');
    expect(checks[2]).toHaveTextContent('Pending');
    expect(checks[2]).toHaveTextContent('No result yet');
    expect(checks[1]!.querySelector('.status-pill')).toHaveAttribute('data-tone', 'warning');

    verification = {
      ...verification,
      outcome: 'failed',
      checks: verification.checks.map((check) =>
        check.kind === 'http'
          ? { ...check, state: 'failed', message: 'HTTP 503 three times in a row' }
          : check,
      ),
    };
    await act(() => queryClient.invalidateQueries({ queryKey: queryKeys.deployments.detail(deployment.id) }));
    await waitFor(() => expect(within(panel).getByText('HTTP 503 three times in a row')).toBeInTheDocument());
    expect(within(panel).getAllByText('Failed')).toHaveLength(2);
    expect(within(panel).getByText(/^Window/)).toBeInTheDocument();
  });

  it('has no panel when the stage verifies nothing', async () => {
    const deployment = buildDeploymentDetail();
    stubApi({
      '/api/v1/instance': { body: instanceFixture },
      [`/api/v1/deployments/${deployment.id}`]: { body: deployment },
    });
    renderApp(`/deployments/${deployment.id}`);
    await screen.findByRole('heading', { level: 1 });
    expect(screen.queryByRole('region', { name: 'Verification' })).not.toBeInTheDocument();
  });
});

describe('verification settings', () => {
  const saved: StageVerification = {
    verification: {
      windowSeconds: 300,
      intervalSeconds: 15,
      driverHealth: true,
      http: [
        {
          name: 'healthz',
          url: 'https://checkout.internal/healthz',
          expectStatus: 200,
          failuresAllowed: 2,
          timeoutSeconds: 5,
        },
      ],
      metrics: [],
    },
    autoRollback: false,
  };

  function setup(put: (request: RecordedRequest) => { status?: number; body: unknown }) {
    const data = buildServiceFixtures();
    const production = data.stages.find((stage) => stage.environmentSlug === 'production')!;
    const stub = stubApi({
      '/api/v1/instance': { body: instanceFixture },
      '/api/v1/services/checkout-api': { body: data.service },
      '/api/v1/environments': { body: { items: data.environments } },
      '/api/v1/stages': { body: { items: data.stages } },
      '/api/v1/board': { body: data.board },
      '/api/v1/releases': { body: { items: data.releases, nextCursor: null } },
      '/api/v1/deployments': { body: { items: [], nextCursor: null } },
      [`GET /api/v1/stages/${production.id}/verification`]: { body: saved },
      [`PUT /api/v1/stages/${production.id}/verification`]: put,
    });
    renderApp('/services/checkout-api');
    return { ...stub, puts: () => stub.requests.filter((request) => request.method === 'PUT') };
  }

  async function openDialog() {
    await userEvent.click(
      await screen.findByRole('button', { name: 'Verification of the Production stage' }, { timeout: 5000 }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Production verification' });
    await within(dialog).findByRole('group', { name: 'healthz' });
    return dialog;
  }

  it('checks the form before sending: blank numbers and bad URLs, on their inputs', async () => {
    const { puts } = setup(() => ({ body: saved }));
    const dialog = await openDialog();
    const http = within(dialog).getByRole('group', { name: 'healthz' });
    await userEvent.clear(within(http).getByLabelText('URL'));
    await userEvent.type(within(http).getByLabelText('URL'), 'ftp://nope');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Add metric check' }));
    const metric = within(dialog).getByRole('group', { name: 'Metric check 1' });
    await userEvent.type(within(metric).getByLabelText('Name'), 'error rate');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save verification' }));

    expect(await within(http).findByText('Must be an http:// or https:// URL.')).toBeInTheDocument();
    expect(within(http).getByLabelText('URL')).toHaveAttribute('aria-invalid', 'true');
    const named = within(dialog).getByRole('group', { name: 'error rate' });
    expect(within(named).getByLabelText('Threshold')).toHaveAccessibleDescription(/Required\./);
    expect(puts()).toHaveLength(0);
  });

  it('shows the API’s field errors on their inputs, then saves', async () => {
    let attempt = 0;
    const { puts } = setup((request) => {
      attempt += 1;
      return attempt === 1
        ? {
            status: 400,
            body: {
              code: 'INVALID_BODY',
              message: 'The request body is not valid',
              details: {
                issues: [
                  {
                    field: 'verification.metrics.0.prometheusUrl',
                    message: 'must not be a loopback address',
                  },
                ],
              },
            },
          }
        : { body: request.body };
    });
    const dialog = await openDialog();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Add metric check' }));
    const metric = within(dialog).getByRole('group', { name: 'Metric check 1' });
    await userEvent.type(within(metric).getByLabelText('Name'), 'p95');
    await userEvent.type(within(metric).getByLabelText('Prometheus URL'), 'http://127.0.0.1:9090');
    await userEvent.type(within(metric).getByLabelText('PromQL query'), 'histogram_quantile(0.95, x)');
    await userEvent.selectOptions(within(metric).getByLabelText('Fails when the value is'), 'above');
    await userEvent.type(within(metric).getByLabelText('Threshold'), '0.5');
    await userEvent.click(within(dialog).getByLabelText(/Automatic rollback/));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save verification' }));

    const named = within(dialog).getByRole('group', { name: 'p95' });
    expect(await within(named).findByText('Must not be a loopback address.')).toBeInTheDocument();
    expect(within(dialog).queryByRole('alert', { name: /Not saved/ })).not.toBeInTheDocument();

    await userEvent.clear(within(named).getByLabelText('Prometheus URL'));
    await userEvent.type(within(named).getByLabelText('Prometheus URL'), 'http://prometheus:9090');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save verification' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(puts()[1]!.body).toEqual({
      verification: {
        ...saved.verification,
        metrics: [
          {
            name: 'p95',
            prometheusUrl: 'http://prometheus:9090',
            query: 'histogram_quantile(0.95, x)',
            comparison: 'above',
            threshold: 0.5,
            forSeconds: 0,
          },
        ],
      },
      autoRollback: true,
    });
  });

  it('removes a check', async () => {
    const { puts } = setup((request) => ({ body: request.body }));
    const dialog = await openDialog();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Remove healthz' }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save verification' }));
    await waitFor(() => expect(puts()).toHaveLength(1));
    expect((puts()[0]!.body as StageVerification).verification.http).toEqual([]);
  });
});
