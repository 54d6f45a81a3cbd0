import type { Deployment, NotificationChannel, NotificationDelivery } from '@flightdeck/contracts';
import {
  signFakeWebhookBody,
  startFakeNotificationReceiver,
  type FakeNotificationReceiver,
} from '@flightdeck/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setSandbox, waitForDeployment } from '../support/deployments.js';
import { sql } from '../support/sql.js';
import { stageIds, startTestApp, type TestApp } from '../support/test-app.js';
import { startSlowReceiver, type SlowReceiver } from './slow-receiver.js';

const SECRET = 'a notification signing secret';

let app: TestApp;
let receiver: FakeNotificationReceiver;
let slow: SlowReceiver;
let stageOf: Record<string, string> = {};
let n = 0;

beforeAll(async () => {
  app = await startTestApp({ env: { FLIGHTDECK_RUNNER_INTERVAL_MS: '100' } });
  receiver = await startFakeNotificationReceiver({ secret: SECRET });
  // Slow to take an incident's first update: a later one sent alongside it would overtake it.
  slow = await startSlowReceiver(receiver.url, (path, index) =>
    path === '/slack/incidents' && index === 0 ? 2000 : 0,
  );
  stageOf = await stageIds(app);
  await setSandbox(app, Object.values(stageOf));
});

afterAll(async () => {
  await app?.close();
  await slow?.close();
  await receiver?.close();
});

type Answer<T> = T & { code?: string; message?: string; details?: { issues?: { field: string }[] } };

async function channel(body: Record<string, unknown>): Promise<NotificationChannel> {
  const created = await app.admin.post<NotificationChannel>('/api/v1/notification-channels', {
    name: `channel ${++n}`,
    ...body,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body;
}

async function deliveries(query: string): Promise<NotificationDelivery[]> {
  const page = await app.get<{ items: NotificationDelivery[] }>(`/api/v1/notification-deliveries?${query}`);
  expect(page.status, JSON.stringify(page.body)).toBe(200);
  return page.body.items;
}

async function waitForDelivery(
  id: string,
  state: NotificationDelivery['state'],
): Promise<NotificationDelivery> {
  let last: NotificationDelivery | undefined;
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    last = (await deliveries('limit=200')).find((delivery) => delivery.id === id);
    if (last?.state === state) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`delivery ${id} stayed ${last?.state} (wanted ${state})`);
}

// A redeploy of what runs there: nothing stands in its way on a development stage.
async function redeploy(key: string): Promise<Deployment> {
  await app.admin.delete(`/api/v1/stages/${stageOf[key]}/lock`);
  const [state] = await sql(app.db.url, 'SELECT current_release_id FROM stage_states WHERE stage_id = $1', [
    stageOf[key],
  ]);
  const created = await app.admin.post<Deployment>('/api/v1/deployments', {
    stageId: stageOf[key],
    releaseId: state!.current_release_id,
    reason: 'notify me',
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body;
}

// Every event of a deployment has been turned into deliveries (or matched no channel).
async function fannedOut(deploymentId: string, types: string[]): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const rows = await sql(
      app.db.url,
      'SELECT type FROM notification_events WHERE deployment_id = $1 AND fanned_out_at IS NOT NULL',
      [deploymentId],
    );
    if (types.every((type) => rows.some((row) => row.type === type))) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`events of ${deploymentId} were not fanned out`);
}

describe('notification deliveries', () => {
  it('signs generic webhooks like the webhook driver, sends Slack its {text, blocks}, and records a deployment start and success once', async () => {
    const hook = await channel({ kind: 'webhook', url: `${receiver.url}/hooks/a`, secret: SECRET });
    const slack = await channel({ kind: 'slack', url: `${receiver.url}/slack/a` });
    expect(hook).toMatchObject({ secretSet: true, eventTypes: [], enabled: true });
    expect(JSON.stringify(hook)).not.toContain(SECRET);

    const deployment = await redeploy('checkout-api/dev');
    expect((await waitForDeployment(app, deployment.id)).status).toBe('succeeded');

    const events = await sql(
      app.db.url,
      'SELECT type, count(*)::int AS n FROM notification_events WHERE deployment_id = $1 GROUP BY type ORDER BY type',
      [deployment.id],
    );
    expect(events).toEqual([
      { type: 'deployment.started', n: 1 },
      { type: 'deployment.succeeded', n: 1 },
    ]);

    const about = (path: string, type: string) =>
      receiver.requests.find(
        (r) =>
          r.path === path &&
          r.event === type &&
          (r.json as { data?: { deployment?: { id?: string } }; text?: string } | null) !== null &&
          JSON.stringify(r.json).includes(path.startsWith('/slack') ? 'checkout-api' : deployment.id),
      );
    await receiver.waitFor(() =>
      ['/hooks/a', '/slack/a'].every((path) =>
        ['deployment.started', 'deployment.succeeded'].every((type) => about(path, type)),
      ),
    );
    const signed = about('/hooks/a', 'deployment.succeeded')!;
    expect(signed.signatureValid).toBe(true);
    expect(signed.headers['x-flightdeck-signature']).toBe(signFakeWebhookBody(SECRET, signed.rawBody));
    expect(signed.json).toMatchObject({
      type: 'deployment.succeeded',
      summary: expect.stringContaining('checkout-api') as unknown,
      data: {
        deployment: { id: deployment.id, status: 'succeeded' },
        service: { slug: 'checkout-api' },
        environment: { slug: 'dev' },
      },
    });
    const slackRequest = about('/slack/a', 'deployment.succeeded')!;
    expect(slackRequest.headers['x-flightdeck-signature']).toBeUndefined();
    const slackBody = slackRequest.json as { text: string; blocks: { type: string }[] };
    expect(slackBody.text).toContain('checkout-api');
    expect(slackBody.text).toContain('succeeded');
    expect(slackBody.blocks[0]!.type).toBe('section');

    const log = await deliveries(`channelId=${hook.id}&eventType=deployment.succeeded`);
    const mine = log.filter((d) => d.deploymentId === deployment.id);
    expect(mine).toHaveLength(1);
    // The receiver has the request a moment before the dispatcher records its answer.
    expect(await waitForDelivery(mine[0]!.id, 'succeeded')).toMatchObject({
      state: 'succeeded',
      attempts: 1,
      lastStatusCode: 200,
      channelName: hook.name,
    });
    await app.admin.delete(`/api/v1/notification-channels/${hook.id}`);
    await app.admin.delete(`/api/v1/notification-channels/${slack.id}`);
  });

  it('retries a receiver that fails with 500, then 429 with Retry-After, delivers on attempt 3 and logs every attempt', async () => {
    receiver.queue([{ status: 500 }, { status: 429, retryAfter: '1' }], '/hooks/flaky');
    const hook = await channel({ kind: 'webhook', url: `${receiver.url}/hooks/flaky`, secret: SECRET });
    const test = await app.admin.post<NotificationDelivery>(`/api/v1/notification-channels/${hook.id}/test`);
    expect(test.status, JSON.stringify(test.body)).toBe(202);
    expect(test.body).toMatchObject({ eventType: 'test', channelId: hook.id });

    const done = await waitForDelivery(test.body.id, 'succeeded');
    expect(done.attempts).toBe(3);
    expect(done.attemptLog.map((a) => [a.number, a.statusCode])).toEqual([
      [1, 500],
      [2, 429],
      [3, 200],
    ]);
    expect(done.attemptLog[0]!.error).toBe('The receiver answered HTTP 500');
    // The receiver's Retry-After (1 s) was honoured when scheduling attempt 3.
    const second = done.attemptLog[1]!;
    expect(Date.parse(second.retryAt!) - Date.parse(second.attemptedAt)).toBeGreaterThanOrEqual(1000);
    const seen = receiver.forDelivery(test.body.id);
    expect(seen.map((r) => r.answeredStatus)).toEqual([500, 429, 200]);
    expect(seen.every((r) => r.signatureValid)).toBe(true);
    // The same body each time: a receiver can drop repeats by delivery id.
    expect(new Set(seen.map((r) => r.rawBody.toString('utf8'))).size).toBe(1);
  });

  it('stops on a refusal, and an admin retry sends it again', async () => {
    receiver.queue([{ status: 410, body: 'gone' }], '/hooks/refusing');
    const hook = await channel({ kind: 'webhook', url: `${receiver.url}/hooks/refusing` });
    const test = await app.admin.post<NotificationDelivery>(`/api/v1/notification-channels/${hook.id}/test`);
    const failed = await waitForDelivery(test.body.id, 'failed');
    expect(failed).toMatchObject({ attempts: 1, lastStatusCode: 410, nextAttemptAt: null });

    const deployer = await app.userWith('deployer');
    expect((await deployer.post(`/api/v1/notification-deliveries/${test.body.id}/retry`)).status).toBe(403);
    const retried = await app.admin.post<NotificationDelivery>(
      `/api/v1/notification-deliveries/${test.body.id}/retry`,
    );
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    const delivered = await waitForDelivery(test.body.id, 'succeeded');
    expect(delivered.attemptLog.map((a) => a.statusCode)).toEqual([410, 200]);
    const again = await app.admin.post<Answer<object>>(
      `/api/v1/notification-deliveries/${test.body.id}/retry`,
    );
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('DELIVERY_NOT_RETRYABLE');
    const audit = await sql(
      app.db.url,
      `SELECT action FROM audit_events WHERE target_id = $1 AND action = 'notification_delivery.retry'`,
      [test.body.id],
    );
    expect(audit).toHaveLength(1);
  });

  it('delivers only what a channel filters for: event type, service and environment', async () => {
    const [service] = await sql(app.db.url, `SELECT id FROM services WHERE slug = 'payments-service'`);
    const [environment] = await sql(app.db.url, `SELECT id FROM environments WHERE slug = 'dev'`);
    const filtered = await channel({
      kind: 'webhook',
      url: `${receiver.url}/hooks/filtered`,
      eventTypes: ['deployment.succeeded'],
      serviceIds: [service!.id],
      environmentIds: [environment!.id],
    });
    const wanted = await redeploy('payments-service/dev');
    const otherService = await redeploy('web-storefront/dev');
    const otherEnvironment = await redeploy('payments-service/staging');
    for (const d of [wanted, otherService, otherEnvironment]) await waitForDeployment(app, d.id);
    for (const d of [wanted, otherService, otherEnvironment]) {
      await fannedOut(d.id, ['deployment.started', 'deployment.succeeded']);
    }
    const log = await deliveries(`channelId=${filtered.id}`);
    expect(log.map((d) => [d.deploymentId, d.eventType])).toEqual([[wanted.id, 'deployment.succeeded']]);
    await receiver.waitFor(() => receiver.requests.some((r) => r.path === '/hooks/filtered'));
  });

  it('sends incident status updates written from their templates', async () => {
    const slack = await channel({
      kind: 'slack',
      url: `${slow.url}/slack/incidents`,
      eventTypes: ['incident.opened', 'incident.changed'],
    });
    const declared = await app.admin.post<{ id: string; number: number }>('/api/v1/incidents', {
      title: 'Checkout errors',
      severity: 'P2',
      stageIds: [stageOf['checkout-api/production']],
    });
    expect(declared.status, JSON.stringify(declared.body)).toBe(201);
    const moved = await app.admin.post(`/api/v1/incidents/${declared.body.id}/status`, {
      status: 'identified',
      note: 'A bad index',
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    const texts = () =>
      receiver.requests
        .filter((r) => r.path === '/slack/incidents')
        .map((r) => (r.json as { text: string }).text);
    await receiver.waitFor(() => texts().length >= 2);
    const ref = `INC-${declared.body.number}`;
    // A channel gets its deliveries in the order their events happened, however slow the receiver.
    expect(texts()).toEqual([
      `Investigating: ${ref} "Checkout errors" (P2). We are looking into it; affected: checkout-api.`,
      `Identified: the cause of ${ref} "Checkout errors" (P2) is known and a fix is under way; affected: checkout-api.`,
    ]);
    const body = receiver.requests.find(
      (r) => r.path === '/slack/incidents' && (r.json as { text: string }).text.startsWith('Identified'),
    )!.json as {
      blocks: { text?: { text: string } }[];
    };
    expect(body.blocks[0]!.text!.text).toContain('A bad index');
    await app.admin.delete(`/api/v1/notification-channels/${slack.id}`);
  });

  it('keeps channels admin-only, audited, and refuses bad input by field', async () => {
    const deployer = await app.userWith('deployer');
    expect((await deployer.get('/api/v1/notification-channels')).status).toBe(403);
    expect((await deployer.post('/api/v1/notification-channels', { kind: 'slack' })).status).toBe(403);

    const unknown = await app.admin.post<Answer<object>>('/api/v1/notification-channels', {
      kind: 'webhook',
      name: 'bad filter',
      url: `${receiver.url}/x`,
      serviceIds: ['00000000-0000-4000-8000-000000000000'],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.details?.issues?.[0]?.field).toBe('serviceIds.0');
    const signedSlack = await app.admin.post<Answer<object>>('/api/v1/notification-channels', {
      kind: 'slack',
      name: 'signed slack',
      url: `${receiver.url}/x`,
      secret: SECRET,
    });
    expect(signedSlack.status).toBe(400);
    expect(signedSlack.body.details?.issues?.[0]?.field).toBe('secret');
    const badUrl = await app.admin.post<Answer<object>>('/api/v1/notification-channels', {
      kind: 'webhook',
      name: 'bad url',
      url: 'ftp://example.test/x',
    });
    expect(badUrl.status).toBe(400);
    expect(badUrl.body.details?.issues?.[0]?.field).toBe('url');

    const created = await channel({ kind: 'webhook', url: `${receiver.url}/hooks/audited`, secret: SECRET });
    const taken = await app.admin.post<Answer<object>>('/api/v1/notification-channels', {
      kind: 'webhook',
      name: created.name,
      url: `${receiver.url}/y`,
    });
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('CHANNEL_NAME_TAKEN');

    // Omitting the secret keeps it; null removes it.
    const kept = await app.admin.put<NotificationChannel>(`/api/v1/notification-channels/${created.id}`, {
      kind: 'webhook',
      name: created.name,
      enabled: false,
    });
    expect(kept.body).toMatchObject({ secretSet: true, enabled: false });
    const removed = await app.admin.put<NotificationChannel>(`/api/v1/notification-channels/${created.id}`, {
      kind: 'webhook',
      name: created.name,
      secret: null,
    });
    expect(removed.body.secretSet).toBe(false);
    const audit = await sql(
      app.db.url,
      `SELECT action, after::text AS after FROM audit_events WHERE target_id = $1 ORDER BY id`,
      [created.id],
    );
    expect(audit.map((row) => row.action)).toEqual([
      'notification_channel.create',
      'notification_channel.update',
      'notification_channel.update',
    ]);
    expect(audit.map((row) => String(row.after)).join()).not.toContain(SECRET);
    const [stored] = await sql(app.db.url, 'SELECT secret_sealed FROM notification_channels WHERE id = $1', [
      created.id,
    ]);
    expect(stored!.secret_sealed).toBeNull();
    expect(app.logs.join('\n')).not.toContain(SECRET);
  });

  it('keeps channel URLs sealed: never stored or answered in plain text, replaced write-only, legacy rows sealed on the next save', async () => {
    const first = `${receiver.url}/slack/sealed-T0K3N-first`;
    const created = await channel({ kind: 'slack', url: first });
    const origin = new URL(receiver.url).origin;
    expect(created).toMatchObject({ urlOrigin: origin, urlHint: `${origin}/…/irst` });
    expect(JSON.stringify(created)).not.toContain('T0K3N');
    const listed = await app.admin.get<{ items: NotificationChannel[] }>('/api/v1/notification-channels');
    expect(JSON.stringify(listed.body)).not.toContain('T0K3N');
    const rowText = async () =>
      String(
        (
          await sql(app.db.url, 'SELECT c::text AS t FROM notification_channels c WHERE id = $1', [
            created.id,
          ])
        )[0]!.t,
      );
    expect(await rowText()).not.toContain('T0K3N');

    // Delivery opens the sealed URL.
    const sendTest = async () => {
      const sent = await app.admin.post<NotificationDelivery>(
        `/api/v1/notification-channels/${created.id}/test`,
        {},
      );
      expect(sent.status, JSON.stringify(sent.body)).toBe(202);
      return waitForDelivery(sent.body.id, 'succeeded');
    };
    const firstSent = await sendTest();
    expect(receiver.forDelivery(firstSent.id).map((r) => r.path)).toEqual(['/slack/sealed-T0K3N-first']);

    // A new URL replaces it; leaving it out keeps it.
    const replaced = await app.admin.put<NotificationChannel>(`/api/v1/notification-channels/${created.id}`, {
      kind: 'slack',
      name: created.name,
      url: `${receiver.url}/slack/sealed-T0K3N-second`,
    });
    expect(replaced.status, JSON.stringify(replaced.body)).toBe(200);
    expect(replaced.body.urlHint).toBe(`${origin}/…/cond`);
    const kept = await app.admin.put<NotificationChannel>(`/api/v1/notification-channels/${created.id}`, {
      kind: 'slack',
      name: created.name,
      enabled: true,
    });
    expect(kept.body.urlHint).toBe(`${origin}/…/cond`);
    const secondSent = await sendTest();
    expect(receiver.forDelivery(secondSent.id).map((r) => r.path)).toEqual(['/slack/sealed-T0K3N-second']);

    // A channel written before URLs were sealed still works, shows its hint, and is sealed when saved.
    await sql(
      app.db.url,
      'UPDATE notification_channels SET url = $2, url_sealed = NULL, url_hint = NULL WHERE id = $1',
      [created.id, `${receiver.url}/slack/legacy-T0K3N-plain`],
    );
    const legacy = await app.admin.get<{ items: NotificationChannel[] }>('/api/v1/notification-channels');
    const legacyChannel = legacy.body.items.find((c) => c.id === created.id)!;
    expect(legacyChannel.urlHint).toBe(`${origin}/…/lain`);
    expect(JSON.stringify(legacy.body)).not.toContain('T0K3N');
    const legacySent = await sendTest();
    expect(receiver.forDelivery(legacySent.id).map((r) => r.path)).toEqual(['/slack/legacy-T0K3N-plain']);
    await app.admin.put(`/api/v1/notification-channels/${created.id}`, { kind: 'slack', name: created.name });
    expect(await rowText()).not.toContain('T0K3N');
    expect((await sendTest()).state).toBe('succeeded');

    const audit = await sql(
      app.db.url,
      'SELECT after::text AS after FROM audit_events WHERE target_id = $1',
      [created.id],
    );
    expect(audit.map((row) => String(row.after)).join()).not.toContain('T0K3N');
    expect(app.logs.join('\n')).not.toContain('T0K3N');
  });
});
