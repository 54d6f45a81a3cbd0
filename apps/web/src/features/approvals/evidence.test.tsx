import {
  approvalRequestSchema,
  type DeploymentEvidence,
  deploymentEvidenceSchema,
} from '@flightdeck/contracts';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { buildAuthState, buildMe, fixtureId } from '../../test/fixtures/identity';
import { instanceFixture, renderApp, stubApi } from '../../test/render-app';
import { buildDeploymentDetail } from '../service/service-fixtures';
import { formatSoak } from './evidence-panel';

const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

function buildRelease(version: string, patch: Record<string, unknown> = {}) {
  return {
    id: fixtureId(),
    serviceId: fixtureId(),
    serviceSlug: 'checkout-api',
    version,
    commitSha: `${version.replace(/\D/g, '')}abcdef0123456789`.slice(0, 40),
    artifactRef: null,
    notes: '',
    source: 'api',
    createdAt: ago(3_600_000),
    quarantine: null,
    author: null,
    ...patch,
  };
}

function setup() {
  const detail = buildDeploymentDetail({
    status: 'pending',
    environmentSlug: 'production',
    startedAt: null,
    finishedAt: null,
    gates: [{ kind: 'approvals', state: 'fail', message: '0 of 1 approvals', until: null }],
  });
  const request = approvalRequestSchema.parse({
    deployment: detail,
    policy: {
      source: 'environment',
      environmentSlug: 'production',
      stageId: null,
      requiredApprovals: 1,
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
    },
    gates: [],
    approvals: [],
    approved: 0,
    required: 1,
    canDecide: true,
    whyNot: null,
  });
  const candidate = buildRelease('v2.4.0', {
    notes: 'Faster cart: cache the totals',
    author: 'ana@example.com',
  });
  const older = buildRelease('v2.3.9', { createdAt: ago(7_200_000), notes: 'Retry payments once' });
  const evidence: DeploymentEvidence = deploymentEvidenceSchema.parse({
    deploymentId: detail.id,
    stage: { id: detail.stageId, serviceSlug: 'checkout-api', environmentSlug: 'production' },
    candidate,
    current: buildRelease('v2.3.8', { createdAt: ago(86_400_000) }),
    changes: { direction: 'forward', releases: [candidate, older] },
    upstream: [
      {
        stageId: fixtureId(),
        environmentSlug: 'staging',
        succeededAt: ago(7_200_000),
        verification: 'passed',
        runsNow: true,
        soakedSeconds: 7_260,
        soakRequiredSeconds: 3_600,
      },
    ],
    risks: {
      releaseCount: 2,
      windowDays: 7,
      rollbackOnStage: true,
      failedDeployments: 0,
      quarantined: false,
      heldOn: [],
      signals: [
        { kind: 'change_size', tone: 'success', message: '2 releases in this change' },
        {
          kind: 'recent_rollback',
          tone: 'danger',
          message: 'production was rolled back once in the last 7 days',
        },
        {
          kind: 'recent_failures',
          tone: 'success',
          message: 'No failed deployment of checkout-api in the last 7 days',
        },
      ],
    },
    ciChecks: { available: false, reason: 'CI checks are not connected yet (issue 8).' },
    incidents: { available: false, reason: 'Open incidents are not connected yet (issue 9).' },
    computedAt: new Date().toISOString(),
  });
  stubApi({
    '/api/v1/instance': { body: instanceFixture },
    '/api/v1/auth/session': { body: buildAuthState({ user: buildMe('approver') }) },
    'GET /api/v1/approvals': { body: { items: [] } },
    [`/api/v1/deployments/${detail.id}`]: { body: detail },
    [`GET /api/v1/deployments/${detail.id}/approval`]: { body: request },
    [`GET /api/v1/deployments/${detail.id}/evidence`]: { body: evidence },
  });
  renderApp(`/deployments/${detail.id}`);
}

describe('evidence next to the approval panel', () => {
  it('lists the changes newest first with notes collapsed, upstream results, risks and what is not available', async () => {
    setup();
    const panel = await screen.findByRole('region', { name: 'Evidence' }, { timeout: 5000 });
    const releases = within(panel).getByRole('list', { name: 'Releases' });
    const rows = within(releases).getAllByRole('listitem');
    expect(rows.map((row) => row.textContent)).toEqual([
      expect.stringContaining('v2.4.0'),
      expect.stringContaining('v2.3.9'),
    ]);
    expect(rows[0]).toHaveTextContent('ana@example.com');
    expect(rows[1]).toHaveTextContent('author unknown');
    const notes = within(rows[0]!).getByText('Faster cart: cache the totals');
    expect(notes).not.toBeVisible();
    await userEvent.click(within(rows[0]!).getByText('Release notes'));
    expect(notes).toBeVisible();

    const staging = within(panel).getByRole('listitem', { name: 'staging' });
    expect(staging).toHaveTextContent('Verification passed');
    expect(staging).toHaveTextContent('Soaked 2h 1m of 1h 0m required');

    const risks = within(panel).getByRole('region', { name: 'Risk signals' });
    expect(risks).toHaveTextContent('production was rolled back once in the last 7 days');
    expect(risks.querySelector('[data-tone="danger"]')).toHaveTextContent('rolled back');

    expect(within(panel).getByRole('region', { name: 'CI checks' })).toHaveTextContent(
      'Not available: CI checks are not connected yet (issue 8).',
    );
    expect(within(panel).getByRole('region', { name: 'Open incidents' })).toHaveTextContent(
      'Not available: Open incidents are not connected yet (issue 9).',
    );
  });

  it('formats soak times compactly', () => {
    expect([formatSoak(42), formatSoak(600), formatSoak(7_260), formatSoak(90_000)]).toEqual([
      '42s',
      '10m',
      '2h 1m',
      '1d 1h',
    ]);
  });
});
