import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotificationRetention } from '../../src/notifications/notification-retention.service.js';
import { sql } from '../support/sql.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;

beforeAll(async () => {
  // No runner: nothing sends or fans out behind the test's back.
  app = await startTestApp({
    env: { FLIGHTDECK_RUNNER: 'false', FLIGHTDECK_NOTIFICATION_RETENTION_DAYS: '30' },
  });
});

afterAll(async () => {
  await app?.close();
});

// An event `days` old, fanned out to the channel with one delivery in `state` and one attempt.
async function event(
  channelId: string,
  days: number,
  state: string | null,
  fannedOut = true,
): Promise<string> {
  const [row] = await sql(
    app.db.url,
    `INSERT INTO notification_events (id, type, payload, occurred_at, fanned_out_at)
     VALUES (gen_random_uuid(), 'test', '{}', now() - make_interval(days => $1::int),
             CASE WHEN $2::boolean THEN now() - make_interval(days => $1::int) END)
     RETURNING id`,
    [days, fannedOut],
  );
  const id = String(row!.id);
  if (state !== null) {
    const [delivery] = await sql(
      app.db.url,
      `INSERT INTO notification_deliveries (id, channel_id, event_id, event_seq, state, attempts, updated_at)
       SELECT gen_random_uuid(), $1, $2, seq, $3::"NotificationDeliveryState", 1, now()
       FROM notification_events WHERE id = $2 RETURNING id`,
      [channelId, id, state],
    );
    await sql(
      app.db.url,
      `INSERT INTO notification_delivery_attempts (delivery_id, number, duration_ms) VALUES ($1, 1, 5)`,
      [delivery!.id],
    );
  }
  return id;
}

describe('notification retention', () => {
  it('deletes delivered and dead events older than the retention with their deliveries and attempts; keeps recent, pending and refused ones', async () => {
    const created = await app.admin.post<{ id: string }>('/api/v1/notification-channels', {
      kind: 'webhook',
      name: 'retained',
      url: 'https://hooks.example.test/retained',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const channelId = created.body.id;
    const gone = [
      await event(channelId, 40, 'succeeded'),
      await event(channelId, 31, 'dead'),
      await event(channelId, 45, null),
    ];
    const kept = [
      await event(channelId, 10, 'succeeded'),
      await event(channelId, 40, 'pending'),
      await event(channelId, 40, 'failed'),
      await event(channelId, 40, null, false),
    ];

    const deleted = await app.server.app.get(NotificationRetention).runOnce();
    expect(deleted).toBe(gone.length);

    const events = await sql(app.db.url, 'SELECT id FROM notification_events');
    expect(events.map((row) => String(row.id)).sort()).toEqual([...kept].sort());
    const orphans = await sql(
      app.db.url,
      `SELECT (SELECT count(*)::int FROM notification_deliveries WHERE event_id = ANY($1::uuid[])) AS deliveries,
              (SELECT count(*)::int FROM notification_delivery_attempts a
                 WHERE NOT EXISTS (SELECT 1 FROM notification_deliveries d WHERE d.id = a.delivery_id)) AS attempts,
              (SELECT count(*)::int FROM notification_delivery_attempts) AS remaining`,
      [gone],
    );
    expect(orphans[0]).toEqual({ deliveries: 0, attempts: 0, remaining: 3 });
  });
});
