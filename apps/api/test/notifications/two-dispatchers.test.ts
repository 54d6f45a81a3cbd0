import { randomBytes } from 'node:crypto';
import { createTestDatabase, startFakeNotificationReceiver, type TestDatabase } from '@flightdeck/test-kit';
import type { FakeNotificationReceiver } from '@flightdeck/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../support/sql.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { startSlowReceiver, type SlowReceiver } from './slow-receiver.js';

const EVENTS = 20;

let db: TestDatabase;
let first: TestApp;
let second: TestApp;
let receiver: FakeNotificationReceiver;
let slow: SlowReceiver;

beforeAll(async () => {
  db = await createTestDatabase();
  // Replicas share one secret key, or neither could open the channel URL the other sealed.
  const env = {
    FLIGHTDECK_RUNNER_INTERVAL_MS: '50',
    FLIGHTDECK_SECRET_KEY: randomBytes(32).toString('base64'),
  };
  // Two replicas on one database, each with its own dispatcher.
  first = await startTestApp({ db, env });
  second = await startTestApp({ db, env });
  receiver = await startFakeNotificationReceiver();
  // Up to 40 ms per request, at random: sends that overlap would reach the receiver shuffled.
  slow = await startSlowReceiver(receiver.url, () => Math.floor(Math.random() * 40));
});

afterAll(async () => {
  await first?.close();
  await second?.close();
  await slow?.close();
  await receiver?.close();
  await db?.drop();
});

describe('two dispatchers on one database', () => {
  it('fan out and deliver every event exactly once, one channel in outbox order and one at a time', async () => {
    const channel = await first.admin.post<{ id: string }>('/api/v1/notification-channels', {
      kind: 'webhook',
      name: 'everything',
      url: `${slow.url}/hooks/all`,
    });
    expect(channel.status, JSON.stringify(channel.body)).toBe(201);
    // The receiver fails at first: the first delivery is retried while both dispatchers poll for work.
    receiver.queue([{ status: 503 }, { status: 503 }], '/hooks/all');
    // Outbox rows as the services write them, all at once (in order n), so both dispatchers race for them.
    await sql(
      db.url,
      `INSERT INTO notification_events (id, type, payload)
       SELECT gen_random_uuid(), 'deployment.succeeded', jsonb_build_object('n', g)
       FROM generate_series(1, $1::int) g ORDER BY g`,
      [EVENTS],
    );
    // The receiver answers before the dispatcher records it: wait for the log to say so.
    let rows: Record<string, unknown>[] = [];
    const deadline = Date.now() + 45_000;
    while (Date.now() < deadline) {
      rows = await sql(
        db.url,
        `SELECT state, count(*)::int AS n FROM notification_deliveries WHERE channel_id = $1 GROUP BY state`,
        [channel.body.id],
      );
      if (rows.length === 1 && rows[0]!.state === 'succeeded' && rows[0]!.n === EVENTS) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(rows).toEqual([{ state: 'succeeded', n: EVENTS }]);
    const delivered = receiver.requests.filter((r) => r.answeredStatus === 200);
    // Each delivery reached the receiver successfully once, in the order its events were written, and
    // no attempt was sent twice; the two dispatchers never sent to the channel at the same time.
    expect(new Set(delivered.map((r) => r.deliveryId)).size).toBe(EVENTS);
    expect(delivered.map((r) => (r.json as { data: { n: number } }).data.n)).toEqual(
      Array.from({ length: EVENTS }, (_, i) => i + 1),
    );
    expect(slow.maxInFlight('/hooks/all')).toBe(1);
    const attempts = await sql(
      db.url,
      `SELECT count(*)::int AS n FROM notification_delivery_attempts a
       JOIN notification_deliveries d ON d.id = a.delivery_id WHERE d.channel_id = $1`,
      [channel.body.id],
    );
    expect(attempts[0]!.n).toBe(receiver.requests.filter((r) => r.path === '/hooks/all').length);
    const waiting = await sql(
      db.url,
      `SELECT count(*)::int AS n FROM notification_events WHERE fanned_out_at IS NULL`,
    );
    expect(waiting[0]!.n).toBe(0);
    // One channel's deliveries go one after another: on a busy machine that takes a while.
  }, 60_000);
});
