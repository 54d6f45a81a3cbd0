import type { NotificationChannel } from '@flightdeck/contracts';
import { startFakeNotificationReceiver, type FakeNotificationReceiver } from '@flightdeck/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../support/sql.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { startSlowReceiver, type SlowReceiver } from './slow-receiver.js';

let app: TestApp;
let receiver: FakeNotificationReceiver;
let slow: SlowReceiver;
let n = 0;

beforeAll(async () => {
  app = await startTestApp({ env: { FLIGHTDECK_RUNNER_INTERVAL_MS: '100' } });
  receiver = await startFakeNotificationReceiver();
  // Up to 150 ms per request, at random: concurrent sends would reach the receiver shuffled.
  slow = await startSlowReceiver(receiver.url, () => Math.floor(Math.random() * 150));
});

afterAll(async () => {
  await app?.close();
  await slow?.close();
  await receiver?.close();
});

async function channel(path: string): Promise<NotificationChannel> {
  const created = await app.admin.post<NotificationChannel>('/api/v1/notification-channels', {
    kind: 'webhook',
    name: `ordered ${++n}`,
    url: `${slow.url}${path}`,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body;
}

// Test events for one channel, written at once as services write the outbox: messages "1", "2", … in
// that order.
async function recordEvents(channelId: string, count: number): Promise<void> {
  await sql(
    app.db.url,
    `INSERT INTO notification_events (id, type, channel_id, payload)
     SELECT gen_random_uuid(), 'test', $1, jsonb_build_object('message', g::text)
     FROM generate_series(1, $2::int) g ORDER BY g`,
    [channelId, count],
  );
}

const numbered = (count: number) => Array.from({ length: count }, (_, i) => String(i + 1));

// The channel's deliveries in outbox order, by their events' messages, with their states.
async function states(channelId: string): Promise<string[][]> {
  const rows = await sql(
    app.db.url,
    `SELECT e.payload->>'message' AS message, d.state FROM notification_deliveries d
     JOIN notification_events e ON e.id = d.event_id WHERE d.channel_id = $1 ORDER BY d.event_seq`,
    [channelId],
  );
  return rows.map((row) => [String(row.message), String(row.state)]);
}

// The dispatcher records an answer a moment after the receiver has sent it.
async function waitForStates(channelId: string, wanted: string[][]): Promise<void> {
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline) {
    if (JSON.stringify(await states(channelId)) === JSON.stringify(wanted)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(await states(channelId)).toEqual(wanted);
}

const requestsTo = (path: string) => receiver.requests.filter((r) => r.path === path);
const messageOf = (request: { json: unknown }) =>
  (request.json as { data: { message: string } }).data.message;
const answered = (path: string) => requestsTo(path).map((r) => [messageOf(r), r.answeredStatus]);

// One channel's deliveries go one after another: on a busy machine that takes a while.
describe('per-channel delivery order', { timeout: 60_000 }, () => {
  it('delivers events written quickly for one channel in outbox order, one at a time', async () => {
    const hook = await channel('/hooks/burst');
    await recordEvents(hook.id, 20);

    await receiver.waitFor(() => requestsTo('/hooks/burst').length >= 20, 45_000);
    expect(requestsTo('/hooks/burst').map(messageOf)).toEqual(numbered(20));
    expect(slow.maxInFlight('/hooks/burst')).toBe(1);
    await waitForStates(
      hook.id,
      numbered(20).map((message) => [message, 'succeeded']),
    );
  });

  it('holds a channel behind a delivery that is being retried, then delivers the rest in order, while another channel goes on', async () => {
    const down = await channel('/hooks/down');
    const up = await channel('/hooks/up');
    // The first delivery meets two 503s, each asking for 2 s: the channel waits at least 4 s for it.
    receiver.queue(
      [
        { status: 503, retryAfter: '2' },
        { status: 503, retryAfter: '2' },
      ],
      '/hooks/down',
    );
    await recordEvents(down.id, 4);
    await recordEvents(up.id, 4);

    await receiver.waitFor(() => requestsTo('/hooks/down').length >= 6, 45_000);
    expect(answered('/hooks/down')).toEqual([
      ['1', 503],
      ['1', 503],
      ['1', 200],
      ['2', 200],
      ['3', 200],
      ['4', 200],
    ]);
    // The other channel did not wait for it: it was done before the held channel's first delivery got
    // through.
    const through = receiver.requests.findIndex((r) => r.path === '/hooks/down' && r.answeredStatus === 200);
    const upAt = receiver.requests.flatMap((r, index) => (r.path === '/hooks/up' ? [index] : []));
    expect(answered('/hooks/up')).toEqual(numbered(4).map((message) => [message, 200]));
    expect(upAt.every((index) => index < through)).toBe(true);
    await waitForStates(
      down.id,
      numbered(4).map((message) => [message, 'succeeded']),
    );
  });

  it('lets the rest of a channel go once a delivery is given up or refused, and shows each as before', async () => {
    const hook = await channel('/hooks/gives-up');
    receiver.queue([{ status: 503 }, { status: 410 }], '/hooks/gives-up');
    // A delivery with a budget of one attempt: its 503 gives it up at once (dead).
    await sql(
      app.db.url,
      `WITH e AS (
         INSERT INTO notification_events (id, type, channel_id, payload, fanned_out_at)
         VALUES (gen_random_uuid(), 'test', $1, '{"message": "given up"}', now()) RETURNING id, seq)
       INSERT INTO notification_deliveries (id, channel_id, event_id, event_seq, max_attempts, updated_at)
       SELECT gen_random_uuid(), $1, e.id, e.seq, 1, now() FROM e`,
      [hook.id],
    );
    // The next one is refused with a 410; the rest are accepted.
    await recordEvents(hook.id, 4);

    await waitForStates(hook.id, [
      ['given up', 'dead'],
      ['1', 'failed'],
      ['2', 'succeeded'],
      ['3', 'succeeded'],
      ['4', 'succeeded'],
    ]);
    expect(answered('/hooks/gives-up')).toEqual([
      ['given up', 503],
      ['1', 410],
      ['2', 200],
      ['3', 200],
      ['4', 200],
    ]);
  });
});
