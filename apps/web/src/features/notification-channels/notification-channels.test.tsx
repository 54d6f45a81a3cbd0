import {
  notificationChannelSchema,
  notificationDeliverySchema,
  type NotificationChannel,
  type NotificationDelivery,
} from '@flightdeck/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fixtureId } from '../../test/fixtures/identity';
import { instanceFixture, renderApp, stubApi } from '../../test/render-app';

const now = new Date().toISOString();

function buildChannel(patch: Partial<NotificationChannel>): NotificationChannel {
  return notificationChannelSchema.parse({
    id: fixtureId(),
    kind: 'webhook',
    name: 'ops hooks',
    urlOrigin: 'https://hooks.example.test',
    urlHint: 'https://hooks.example.test/…/deck',
    secretSet: true,
    eventTypes: [],
    serviceIds: [],
    environmentIds: [],
    enabled: true,
    createdBy: 'admin@flightdeck.test',
    createdAt: now,
    updatedAt: now,
    ...patch,
  });
}

function buildDelivery(
  channel: NotificationChannel,
  patch: Partial<NotificationDelivery>,
): NotificationDelivery {
  return notificationDeliverySchema.parse({
    id: fixtureId(),
    channelId: channel.id,
    channelName: channel.name,
    eventId: fixtureId(),
    eventType: 'deployment.succeeded',
    summary: 'Deployment of checkout-api 1.4.0 to production succeeded',
    deploymentId: fixtureId(),
    incidentId: null,
    state: 'succeeded',
    attempts: 1,
    nextAttemptAt: null,
    lastStatusCode: 200,
    lastError: null,
    lastDurationMs: 12,
    deliveredAt: now,
    occurredAt: now,
    createdAt: now,
    attemptLog: [
      { number: 1, statusCode: 200, error: null, durationMs: 12, retryAt: null, attemptedAt: now },
    ],
    ...patch,
  });
}

const hooks = buildChannel({});
const slack = buildChannel({
  kind: 'slack',
  name: 'deploys',
  urlOrigin: 'https://hooks.slack.com',
  urlHint: 'https://hooks.slack.com/…/qXyZ',
  secretSet: false,
});
const delivered = buildDelivery(hooks, {});
const dead = buildDelivery(slack, {
  state: 'dead',
  eventType: 'approval.requested',
  summary: 'Approval needed: checkout-api 1.4.0 to production',
  attempts: 3,
  lastStatusCode: 503,
  lastError: 'The receiver answered HTTP 503; gave up after 3 attempts',
  deliveredAt: null,
  attemptLog: [1, 2, 3].map((number) => ({
    number,
    statusCode: 503,
    error: 'The receiver answered HTTP 503',
    durationMs: 20,
    retryAt: null,
    attemptedAt: now,
  })),
});

function setup(replies: Parameters<typeof stubApi>[0] = {}) {
  const api = stubApi({
    '/api/v1/instance': { body: instanceFixture },
    'GET /api/v1/notification-channels': { body: { items: [hooks, slack] } },
    'GET /api/v1/notification-deliveries': { body: { items: [dead, delivered], nextCursor: null } },
    '/api/v1/services': { body: { items: [], nextCursor: null } },
    '/api/v1/environments': { body: { items: [] } },
    ...replies,
  });
  renderApp('/admin/notifications');
  return api;
}

describe('notification channels page', () => {
  it(
    'lists channels and the delivery log with state by icon and text, and retries a dead delivery',
    { timeout: 20_000 },
    async () => {
      const api = setup({
        [`POST /api/v1/notification-deliveries/${dead.id}/retry`]: { body: { ...dead, state: 'pending' } },
      });
      expect(await screen.findByRole('heading', { name: 'Notifications', level: 1 })).toBeInTheDocument();
      const channels = await screen.findByRole('table', { name: 'Notification channels' });
      expect(within(channels).getByText('ops hooks')).toBeInTheDocument();
      expect(within(channels).getByText(/signed/)).toBeInTheDocument();
      const log = await screen.findByRole('table', { name: 'Deliveries' });
      expect(within(log).getByText('Gave up')).toBeInTheDocument();
      expect(within(log).getByText('Delivered')).toBeInTheDocument();
      expect(within(log).getByText('3 attempts · last HTTP 503')).toBeInTheDocument();
      // Only a dead or refused delivery offers a retry.
      expect(within(log).getAllByRole('button', { name: /^Retry/ })).toHaveLength(1);
      await userEvent.click(within(log).getByRole('button', { name: 'Retry Approval requested to deploys' }));
      await waitFor(() =>
        expect(api.requests.some((r) => r.method === 'POST' && r.path.endsWith(`${dead.id}/retry`))).toBe(
          true,
        ),
      );
    },
  );

  it('adds a channel with filters and shows the field the API refused', { timeout: 20_000 }, async () => {
    const api = setup({
      'POST /api/v1/notification-channels': {
        status: 409,
        body: { code: 'CHANNEL_NAME_TAKEN', message: 'A channel named "ops hooks" exists already' },
      },
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Add channel' }));
    const dialog = await screen.findByRole(
      'dialog',
      { name: 'Add a notification channel' },
      { timeout: 5_000 },
    );
    await userEvent.selectOptions(within(dialog).getByLabelText('Kind'), 'webhook');
    await userEvent.type(within(dialog).getByLabelText('Name'), 'ops hooks');
    await userEvent.type(within(dialog).getByLabelText('URL'), 'https://hooks.example.test/x');
    await userEvent.type(within(dialog).getByLabelText('Secret'), 'a secret of sixteen+');
    await userEvent.click(within(dialog).getByLabelText('Deployment failed'));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Add channel' }));
    expect(await within(dialog).findByText(/exists already/)).toBeInTheDocument();
    const sent = api.requests.find((r) => r.method === 'POST' && r.path === '/api/v1/notification-channels');
    expect(sent?.body).toMatchObject({
      kind: 'webhook',
      name: 'ops hooks',
      secret: 'a secret of sixteen+',
      eventTypes: ['deployment.failed'],
    });
  });

  it(
    'shows only the hint of a stored URL and sends a URL only when it is replaced',
    { timeout: 20_000 },
    async () => {
      const api = setup({ [`PUT /api/v1/notification-channels/${slack.id}`]: { body: slack } });
      await userEvent.click(await screen.findByRole('button', { name: 'Edit deploys' }));
      const dialog = await screen.findByRole('dialog', { name: 'Edit deploys' }, { timeout: 5_000 });
      expect(within(dialog).getByLabelText('Stored URL hint')).toHaveTextContent(
        'https://hooks.slack.com/…/qXyZ',
      );
      expect(within(dialog).queryByLabelText('New URL')).toBeNull();
      await userEvent.click(within(dialog).getByRole('button', { name: 'Save channel' }));
      await waitFor(() => expect(api.requests.some((r) => r.method === 'PUT')).toBe(true));
      const kept = api.requests.find((r) => r.method === 'PUT');
      expect(kept?.body).not.toHaveProperty('url');

      await userEvent.click(await screen.findByRole('button', { name: 'Edit deploys' }));
      const again = await screen.findByRole('dialog', { name: 'Edit deploys' }, { timeout: 5_000 });
      await userEvent.click(within(again).getByLabelText('Replace URL'));
      await userEvent.type(
        within(again).getByLabelText('New URL'),
        'https://hooks.slack.com/services/T/B/new',
      );
      await userEvent.click(within(again).getByRole('button', { name: 'Save channel' }));
      await waitFor(() => expect(api.requests.filter((r) => r.method === 'PUT')).toHaveLength(2));
      expect(api.requests.filter((r) => r.method === 'PUT')[1]?.body).toMatchObject({
        url: 'https://hooks.slack.com/services/T/B/new',
      });
    },
  );
});
