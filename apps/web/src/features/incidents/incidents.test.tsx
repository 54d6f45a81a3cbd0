import {
  incidentSchema,
  incidentSuspectsSchema,
  incidentTimelineSchema,
  type Deployment,
  type Incident,
} from '@flightdeck/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { buildAuthState, buildMe, fixtureId } from '../../test/fixtures/identity';
import { instanceFixture, renderApp, stubApi } from '../../test/render-app';

const MINUTE = 60_000;
const at = (offset: number) => new Date(Date.now() + offset).toISOString();
const stageId = fixtureId();

function buildDeployment(version: string, patch: Partial<Deployment> = {}): Deployment {
  return {
    id: fixtureId(),
    stageId,
    serviceSlug: 'checkout-api',
    environmentSlug: 'production',
    release: { id: fixtureId(), version, commitSha: 'abcdef1' },
    kind: 'promote',
    status: 'succeeded',
    requestedBy: 'deploy-bot',
    reason: '',
    driverKind: 'sandbox',
    driverExternalId: null,
    driverUrl: null,
    error: null,
    breakGlass: false,
    trainId: null,
    createdAt: at(-40 * MINUTE),
    queuedAt: null,
    startedAt: null,
    finishedAt: at(-30 * MINUTE),
    deadlineAt: null,
    ...patch,
  };
}

const incident: Incident = incidentSchema.parse({
  id: fixtureId(),
  number: 4,
  reference: 'INC-4',
  title: 'Card payments fail',
  severity: {
    key: 'P1',
    rank: 1,
    name: 'High',
    description: '',
    expectedResponseMinutes: 15,
    freezesProduction: true,
  },
  status: 'investigating',
  commander: null,
  declaredBy: 'grace@example.com',
  detectedAt: at(-20 * MINUTE),
  acknowledgedAt: null,
  identifiedAt: null,
  monitoringAt: null,
  resolvedAt: null,
  durationSeconds: 1200,
  stages: [{ stageId, serviceSlug: 'checkout-api', environmentSlug: 'production', tier: 'production' }],
  freezingProduction: true,
  createdAt: at(-20 * MINUTE),
  summary: '',
  impact: '',
  rootCause: '',
  mttaSeconds: null,
  mttrSeconds: null,
  responseOverdue: true,
  nextStatuses: ['identified', 'monitoring', 'resolved'],
  actionItems: [],
  deployments: [],
});

const recent = buildDeployment('v2.4.0');
const older = buildDeployment('v2.3.9', { finishedAt: at(-90 * MINUTE) });

function setup(role: 'admin' | 'viewer' = 'admin') {
  return stubApi({
    '/api/v1/instance': { body: instanceFixture },
    '/api/v1/auth/session': { body: buildAuthState({ user: buildMe(role) }) },
    'GET /api/v1/incidents': { body: { items: [incident] } },
    [`GET /api/v1/incidents/${incident.id}`]: { body: incident },
    [`/api/v1/incidents/${incident.id}/timeline`]: {
      body: incidentTimelineSchema.parse({
        from: at(-80 * MINUTE),
        to: at(0),
        items: [
          {
            at: recent.finishedAt,
            kind: 'deployment',
            actor: 'runner',
            text: 'Deploy of v2.4.0 to checkout-api/production succeeded',
            deploymentId: recent.id,
            stageId,
            manual: false,
          },
          {
            at: incident.createdAt,
            kind: 'declared',
            actor: 'grace@example.com',
            text: 'INC-4 declared as P1 (High): Card payments fail',
            deploymentId: null,
            stageId: null,
            manual: true,
          },
        ],
      }),
    },
    [`/api/v1/incidents/${incident.id}/suspects`]: {
      body: incidentSuspectsSchema.parse({
        windowMinutes: 240,
        items: [
          {
            deployment: recent,
            tier: 'production',
            rank: 1,
            score: 65,
            reasons: ['in production', 'finished 10 minutes before detection'],
            relations: [],
            remediation: null,
            rollback: { possible: true, reason: 'Roll checkout-api/production back from v2.4.0 to v2.3.9' },
          },
          {
            deployment: older,
            tier: 'production',
            rank: 2,
            score: 40,
            reasons: ['in production', 'finished 70 minutes before detection'],
            relations: [],
            remediation: null,
            rollback: {
              possible: false,
              reason: 'v2.3.9 no longer runs on checkout-api/production (v2.4.0 does)',
            },
          },
        ],
      }),
    },
    [`POST /api/v1/incidents/${incident.id}/rollback`]: {
      status: 201,
      body: buildDeployment('v2.3.9', { kind: 'rollback', status: 'queued', finishedAt: null }),
    },
  });
}

describe('incidents', () => {
  it('lists incidents with severity, status and duration', async () => {
    setup();
    renderApp('/incidents');
    const table = await screen.findByRole('table', { name: 'Incidents' });
    const row = within(table).getByRole('row', { name: /INC-4 · Card payments fail/ });
    expect(row).toHaveTextContent('P1 High');
    expect(row).toHaveTextContent('Investigating');
    expect(row).toHaveTextContent('20m so far');
    expect(row).toHaveTextContent('Freezing production');
  });

  it('shows the timeline and ranked suspects, and rolls back a suspect from the page', async () => {
    const api = setup();
    renderApp(`/incidents/${incident.id}`);
    expect(
      await screen.findByRole('heading', { level: 1, name: 'INC-4: Card payments fail' }),
    ).toBeInTheDocument();
    const timeline = await screen.findByRole('region', { name: 'Timeline' });
    const entries = within(timeline).getAllByRole('listitem');
    expect(entries[0]).toHaveTextContent('Deploy of v2.4.0 to checkout-api/production succeeded');
    expect(entries[1]).toHaveTextContent('INC-4 declared as P1 (High)');

    const suspects = screen.getByRole('region', { name: 'Suspect deployments' });
    await within(suspects).findByText('Why: in production; finished 10 minutes before detection.');
    expect(
      within(suspects).getByRole('button', { name: 'Roll back v2.3.9 on checkout-api/production' }),
    ).toBeDisabled();
    expect(
      within(suspects).getByText('v2.3.9 no longer runs on checkout-api/production (v2.4.0 does)'),
    ).toBeVisible();

    await userEvent.click(
      within(suspects).getByRole('button', { name: 'Roll back v2.4.0 on checkout-api/production' }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Roll back this deployment?' });
    expect(dialog).toHaveTextContent('Roll checkout-api/production back from v2.4.0 to v2.3.9');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Roll back' }));
    await waitFor(() =>
      expect(api.requests.find((request) => request.method === 'POST')).toMatchObject({
        path: `/api/v1/incidents/${incident.id}/rollback`,
        body: { deploymentId: recent.id, reason: 'suspect of INC-4' },
      }),
    );
    const post = api.requests.find((request) => request.method === 'POST')!;
    expect(post.headers['idempotency-key']).toBeTruthy();
  });

  it('hides the controls from viewers', async () => {
    setup('viewer');
    renderApp(`/incidents/${incident.id}`);
    await screen.findByRole('heading', { level: 1, name: 'INC-4: Card payments fail' });
    expect(screen.queryByRole('group', { name: 'Incident status' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Roll back/ })).not.toBeInTheDocument();
  });
});
