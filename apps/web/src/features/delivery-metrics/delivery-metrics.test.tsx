import { deliveryMetricsSchema, type DeliveryMetrics } from '@flightdeck/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { buildTeam } from '../../test/fixtures/identity';
import { instanceFixture, renderApp, stubApi, type RecordedRequest } from '../../test/render-app';
import { formatDuration, formatPerDay, formatRate } from './delivery-metrics-format';
import { requestFor } from './use-delivery-filters';

const SERVICE_ID = '00000000-0000-4000-8000-00000000a001';
const PROD_ID = '00000000-0000-4000-8000-00000000e001';

const metrics: DeliveryMetrics = deliveryMetricsSchema.parse({
  from: '2026-01-05T00:00:00.000Z',
  to: '2026-01-07T00:00:00.000Z',
  bucket: 'day',
  filters: { serviceId: null, teamId: null, environmentId: null },
  environments: [{ id: PROD_ID, slug: 'production', name: 'Production' }],
  failureSources: ['rollback', 'incident'],
  deploymentFrequency: { deployments: 3, perDay: 1.5, band: 'elite' },
  leadTime: {
    changes: 3,
    medianSeconds: 6 * 3600,
    p90Seconds: 30 * 3600,
    basis: 'mixed',
    withCommitTime: 2,
    band: 'elite',
  },
  changeFailureRate: { deployments: 3, failures: 1, rate: 1 / 3, band: 'low' },
  timeToRestore: { restored: 0, open: 1, medianSeconds: null, band: null },
  series: [
    {
      start: '2026-01-05T00:00:00.000Z',
      end: '2026-01-06T00:00:00.000Z',
      deployments: 2,
      leadTimeMedianSeconds: 5 * 3600,
      failures: 1,
      changeFailureRate: 0.5,
      restoreMedianSeconds: null,
    },
    {
      start: '2026-01-06T00:00:00.000Z',
      end: '2026-01-07T00:00:00.000Z',
      deployments: 1,
      leadTimeMedianSeconds: 30 * 3600,
      failures: 0,
      changeFailureRate: 0,
      restoreMedianSeconds: null,
    },
  ],
});

function setup(url = '/delivery', reply: { status?: number; body: unknown } = { body: metrics }) {
  const stub = stubApi({
    '/api/v1/instance': { body: instanceFixture },
    '/api/v1/metrics/delivery': reply,
    '/api/v1/services': {
      body: {
        items: [
          {
            id: SERVICE_ID,
            slug: 'checkout-api',
            name: 'Checkout API',
            description: '',
            team: 'payments',
            repository: null,
            defaultBranch: 'main',
            createdAt: '2026-01-01T00:00:00.000Z',
          },
        ],
        nextCursor: null,
      },
    },
    '/api/v1/teams': { body: { items: [buildTeam({ name: 'Payments' })] } },
    '/api/v1/environments': {
      body: {
        items: [{ id: PROD_ID, slug: 'production', name: 'Production', position: 4, tier: 'production' }],
      },
    },
  });
  return { ...stub, ...renderApp(url) };
}

const metricRequests = (requests: RecordedRequest[]) =>
  requests
    .filter((request) => request.path === '/api/v1/metrics/delivery')
    .map((request) => Object.fromEntries(new URLSearchParams(request.search)));

// The first test pays for loading the lazy page; the budget is for a busy two-core CI machine.
describe('delivery metrics page', () => {
  it('shows the four figures with their band in words and the series as tables', async () => {
    setup();
    const frequency = await screen.findByRole(
      'region',
      { name: 'Deployment frequency' },
      { timeout: 15_000 },
    );
    expect(frequency).toHaveTextContent('1.5 a day');
    expect(within(frequency).getByText('Elite').closest('.status-pill')).toHaveAttribute(
      'data-tone',
      'success',
    );
    const lead = screen.getByRole('region', { name: 'Lead time for changes' });
    expect(lead).toHaveTextContent('6 h');
    expect(lead).toHaveTextContent('p90 1.3 d');
    expect(lead).toHaveTextContent('from the commit time where known, else from release creation');
    const failure = screen.getByRole('region', { name: 'Change failure rate' });
    expect(failure).toHaveTextContent('33%');
    expect(within(failure).getByText('Low').closest('.status-pill')).toHaveAttribute('data-tone', 'danger');
    const restore = screen.getByRole('region', { name: 'Time to restore' });
    expect(restore).toHaveTextContent('No data');
    expect(restore).toHaveTextContent('1 not yet');
    // Screen readers get each chart's figures as a table.
    const deployments = screen.getByRole('table', { name: 'Deployments' });
    expect(
      within(deployments)
        .getAllByRole('row')
        .map((row) => row.textContent),
    ).toEqual(['PeriodDeployments', '5 Jan2', '6 Jan1']);
    expect(screen.getByRole('table', { name: 'Change failure rate' })).toHaveTextContent('5 Jan50%');
    expect(screen.getByText(/5 Jan 2026 – 6 Jan 2026 \(UTC\), per day · Production/)).toBeInTheDocument();
  }, 20_000);

  it('asks for 30 days per day by default, then sends the chosen filters and period', async () => {
    const user = userEvent.setup();
    const { requests } = setup();
    await screen.findByRole('region', { name: 'Deployment frequency' }, { timeout: 15_000 });
    const first = metricRequests(requests)[0]!;
    expect(Object.keys(first).sort()).toEqual(['bucket', 'from']);
    expect(first.bucket).toBe('day');
    await user.selectOptions(await screen.findByLabelText('Service'), 'Checkout API');
    await waitFor(() => expect(metricRequests(requests).at(-1)).toMatchObject({ serviceId: SERVICE_ID }));
    await user.click(screen.getByLabelText('90 days'));
    await waitFor(() =>
      expect(metricRequests(requests).at(-1)).toMatchObject({ serviceId: SERVICE_ID, bucket: 'week' }),
    );
  }, 20_000);

  it('says what is wrong with a custom period instead of asking', async () => {
    const { requests } = setup('/delivery?period=custom&from=2026-02-10&to=2026-02-01');
    expect(await screen.findByRole('alert', {}, { timeout: 5000 })).toHaveTextContent(
      'The end date must be on or after the start date.',
    );
    expect(metricRequests(requests)).toEqual([]);
  });

  it('shows the API’s refusal', async () => {
    setup('/delivery', {
      status: 400,
      body: { code: 'INVALID_QUERY', message: 'Invalid query parameter — from: must be in the past' },
    });
    expect(await screen.findByRole('alert', {}, { timeout: 5000 })).toHaveTextContent('must be in the past');
  });
});

describe('delivery metrics helpers', () => {
  it('formats durations, rates and frequencies', () => {
    expect([
      formatDuration(null),
      formatDuration(45),
      formatDuration(2700),
      formatDuration(6.5 * 3600),
    ]).toEqual(['—', '45 s', '45 min', '6.5 h']);
    expect(formatDuration(3 * 86_400)).toBe('3 d');
    expect([formatRate(null), formatRate(0.25)]).toEqual(['—', '25%']);
    expect([formatPerDay(2), formatPerDay(0.5), formatPerDay(0)]).toEqual([
      '2 a day',
      '3.5 a week',
      '0 a day',
    ]);
  });

  it('turns a custom period of whole days into an end-exclusive request', () => {
    const now = new Date('2026-03-01T12:00:00Z');
    const base = { period: 'custom' as const, service: '', team: '', environment: '' };
    expect(requestFor({ ...base, from: '2026-01-01', to: '2026-01-31' }, now)).toEqual({
      from: '2026-01-01T00:00:00.000Z',
      to: '2026-02-01T00:00:00.000Z',
      bucket: 'day',
    });
    expect(requestFor({ ...base, from: '2025-12-01', to: '2026-02-28' }, now)).toMatchObject({
      bucket: 'week',
    });
    // A period ending today stops now, not at midnight tonight.
    expect(requestFor({ ...base, from: '2026-02-20', to: '2026-03-01' }, now)).toMatchObject({
      to: '2026-03-01T12:00:00.000Z',
    });
  });
});
