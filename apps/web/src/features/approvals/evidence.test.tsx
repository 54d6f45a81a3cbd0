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

function setup(override: Partial<DeploymentEvidence> = {}) {
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
  const incidentId = fixtureId();
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
    changelog: {
      available: true,
      repository: 'acme/checkout-api',
      baseSha: 'a'.repeat(40),
      headSha: candidate.commitSha,
      direction: 'forward',
      compareUrl: 'https://github.com/acme/checkout-api/compare/a...b',
      commits: [
        {
          sha: 'c'.repeat(40),
          title: 'Cache the cart totals',
          author: 'ana',
          authorLogin: 'ana',
          date: ago(3_600_000),
          url: 'https://github.com/acme/checkout-api/commit/ccc',
        },
      ],
      moreCommits: 0,
      pullRequests: [
        {
          number: 42,
          title: 'Faster cart',
          author: 'ana',
          url: 'https://github.com/acme/checkout-api/pull/42',
        },
      ],
      pullRequestsComplete: true,
    },
    ciChecks: {
      available: true,
      repository: 'acme/checkout-api',
      commitSha: candidate.commitSha,
      fetchedAt: ago(120_000),
      checks: [
        {
          name: 'build',
          source: 'check_run',
          state: 'failure',
          conclusion: 'failure',
          url: 'https://ci.example/build',
          required: true,
        },
        {
          name: 'lint',
          source: 'status',
          state: 'success',
          conclusion: 'success',
          url: null,
          required: false,
        },
      ],
      required: [{ name: 'build', state: 'failure' }],
    },
    incidents: {
      available: true,
      open: [
        {
          id: incidentId,
          number: 7,
          reference: 'INC-7',
          title: 'Card payments fail',
          severityKey: 'P1',
          severityName: 'Critical',
          freezesProduction: true,
          status: 'investigating',
          detectedAt: ago(600_000),
          path: `/incidents/${incidentId}`,
        },
      ],
    },
    computedAt: new Date().toISOString(),
    ...override,
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
  return { incidentId };
}

describe('evidence next to the approval panel', () => {
  it('lists the changes newest first with notes collapsed, commits, upstream results, risks, CI and incidents', async () => {
    const { incidentId } = setup();
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

    const commits = within(panel).getByRole('region', { name: 'Commits and pull requests' });
    expect(within(commits).getByRole('link', { name: '#42 Faster cart' })).toHaveAttribute(
      'href',
      'https://github.com/acme/checkout-api/pull/42',
    );
    expect(within(commits).getByRole('list', { name: 'Commits' })).toHaveTextContent('Cache the cart totals');

    const ci = within(panel).getByRole('region', { name: 'CI checks' });
    expect(ci).toHaveTextContent('required: build');
    const build = within(ci).getByRole('listitem', { name: 'build' });
    expect(build).toHaveTextContent('Failed');
    expect(build).toHaveTextContent('Required');
    expect(build.querySelector('[data-tone="danger"]')).not.toBeNull();
    expect(within(ci).getByRole('listitem', { name: 'lint' })).not.toHaveTextContent('Required');

    const incidents = within(panel).getByRole('region', { name: 'Open incidents' });
    expect(within(incidents).getByRole('link', { name: 'INC-7 Card payments fail' })).toHaveAttribute(
      'href',
      `/incidents/${incidentId}`,
    );
    expect(incidents).toHaveTextContent('freezes production');
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

describe('evidence without GitHub data', () => {
  it('says why CI checks and commits are missing', async () => {
    setup({
      changelog: { available: false, reason: 'checkout-api has no GitHub repository' },
      ciChecks: { available: false, reason: 'GitHub is not configured' },
      incidents: { available: true, open: [] },
    });
    const panel = await screen.findByRole('region', { name: 'Evidence' }, { timeout: 5000 });
    expect(within(panel).getByRole('region', { name: 'CI checks' })).toHaveTextContent(
      'Not available: GitHub is not configured',
    );
    expect(within(panel).getByRole('region', { name: 'Commits and pull requests' })).toHaveTextContent(
      'checkout-api has no GitHub repository',
    );
    expect(within(panel).getByRole('region', { name: 'Open incidents' })).toHaveTextContent(
      'No open incident on checkout-api.',
    );
  });
});
