import type { DeploymentDetail } from '@flightdeck/contracts';
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { instanceFixture, renderApp, stubApi } from '../../test/render-app';
import { buildDeploymentDetail } from '../service/service-fixtures';

function show(github: DeploymentDetail['github']) {
  const deployment: DeploymentDetail = { ...buildDeploymentDetail({ status: 'succeeded' }), github };
  stubApi({
    '/api/v1/instance': { body: instanceFixture },
    [`/api/v1/deployments/${deployment.id}`]: { body: deployment },
  });
  renderApp(`/deployments/${deployment.id}`);
}

describe('deployment page: GitHub mirror', () => {
  it('links to the deployment on GitHub and says it is mirrored', async () => {
    show({
      state: 'synced',
      deploymentId: 42,
      url: 'https://github.com/acme/checkout-api/deployments/staging',
      lastStatus: 'success',
      error: null,
    });
    expect(await screen.findByText('Mirrored (success)')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /View on GitHub/ })).toHaveAttribute(
      'href',
      'https://github.com/acme/checkout-api/deployments/staging',
    );
  });

  it('says why it is not mirrored, without a link', async () => {
    show({
      state: 'failed',
      deploymentId: null,
      url: null,
      lastStatus: null,
      error: 'GitHub answered 422: No ref found for: abc123',
    });
    expect(await screen.findByText('Not mirrored')).toBeInTheDocument();
    expect(screen.getByText('GitHub answered 422: No ref found for: abc123')).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /View on GitHub/ })).toBeNull();
  });

  it('shows nothing about GitHub for a deployment that is not mirrored', async () => {
    show(null);
    expect(await screen.findByRole('heading', { level: 1 })).toBeInTheDocument();
    expect(screen.queryByText('GitHub')).toBeNull();
  });
});
