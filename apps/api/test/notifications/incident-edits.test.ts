import type { NotificationChannel } from '@flightdeck/contracts';
import { startFakeNotificationReceiver, type FakeNotificationReceiver } from '@flightdeck/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../support/sql.js';
import { stageIds, startTestApp, type TestApp, ADMIN_EMAIL } from '../support/test-app.js';

let app: TestApp;
let receiver: FakeNotificationReceiver;
let stageOf: Record<string, string> = {};

beforeAll(async () => {
  app = await startTestApp({ env: { FLIGHTDECK_RUNNER_INTERVAL_MS: '100' } });
  receiver = await startFakeNotificationReceiver({});
  stageOf = await stageIds(app);
});

afterAll(async () => {
  await app?.close();
  await receiver?.close();
});

async function serviceId(slug: string): Promise<string> {
  const [row] = await sql(app.db.url, 'SELECT id FROM services WHERE slug = $1', [slug]);
  return row!.id as string;
}

async function channel(name: string, filters: Record<string, unknown>): Promise<NotificationChannel> {
  const created = await app.admin.post<NotificationChannel>('/api/v1/notification-channels', {
    name,
    kind: 'webhook',
    url: `${receiver.url}/hooks/${name}`,
    ...filters,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body;
}

// The summaries a channel was sent, in the order they arrived.
function summaries(name: string): string[] {
  return receiver.requests
    .filter((request) => request.path === `/hooks/${name}`)
    .map((request) => (request.json as { summary: string }).summary);
}

describe('incident edits', () => {
  it('tell the channels whose filters match what changed, and nothing for postmortem-only or no-op edits', async () => {
    await channel('checkout-changes', {
      eventTypes: ['incident.changed'],
      serviceIds: [await serviceId('checkout-api')],
    });
    await channel('inventory-changes', {
      eventTypes: ['incident.changed'],
      serviceIds: [await serviceId('inventory-sync')],
    });
    await channel('openings', { eventTypes: ['incident.opened'] });

    const declared = await app.admin.post<{ id: string; number: number }>('/api/v1/incidents', {
      title: 'Checkout errors',
      severity: 'P2',
      stageIds: [stageOf['checkout-api/production']],
    });
    expect(declared.status, JSON.stringify(declared.body)).toBe(201);
    const ref = `INC-${declared.body.number}`;
    const edit = async (body: Record<string, unknown>) => {
      const response = await app.admin.patch(`/api/v1/incidents/${declared.body.id}`, body);
      expect(response.status, JSON.stringify(response.body)).toBe(200);
    };
    const received = async (name: string, count: number) => {
      await receiver.waitFor(() => summaries(name).length >= count, 20_000);
      return summaries(name);
    };
    await received('openings', 1);

    await edit({ severity: 'P1' });
    expect(await received('checkout-changes', 1)).toEqual([
      `Updated: ${ref} "Checkout errors" (P1): Severity P2 → P1`,
    ]);

    const adminId = (await app.get<{ id: string }>('/api/v1/me')).body.id;
    await edit({ title: 'Checkout 500s', commanderId: adminId });
    expect((await received('checkout-changes', 2))[1]).toBe(
      `Updated: ${ref} "Checkout 500s" (P1): Title "Checkout errors" → "Checkout 500s"; Commander nobody → ${ADMIN_EMAIL}`,
    );

    // Postmortem fields and values that stay the same are no news.
    await edit({ impact: 'Some checkouts failed', severity: 'P1', title: 'Checkout 500s' });

    // The inventory channel matches once the incident affects its service.
    await edit({ stageIds: [stageOf['checkout-api/production'], stageOf['inventory-sync/production']] });
    const stagesLine = `Updated: ${ref} "Checkout 500s" (P1): Affected stages +inventory-sync/production`;
    expect((await received('checkout-changes', 3))[2]).toBe(stagesLine);
    expect(await received('inventory-changes', 1)).toEqual([stagesLine]);

    await edit({ summary: 'Payments provider answers 500 to a third of requests' });
    const summaryLine = `Updated: ${ref} "Checkout 500s" (P1): Summary updated`;
    expect((await received('checkout-changes', 4))[3]).toBe(summaryLine);
    expect((await received('inventory-changes', 2))[1]).toBe(summaryLine);

    // One event per edit that changed something, in the outbox; the openings channel heard only the opening.
    const events = await sql(
      app.db.url,
      `SELECT payload->'incident'->'changes' AS changes FROM notification_events
        WHERE incident_id = $1 AND type = 'incident.changed' ORDER BY occurred_at`,
      [declared.body.id],
    );
    expect(events.map((row) => row.changes)).toEqual([
      ['Severity P2 → P1'],
      ['Title "Checkout errors" → "Checkout 500s"', `Commander nobody → ${ADMIN_EMAIL}`],
      ['Affected stages +inventory-sync/production'],
      ['Summary updated'],
    ]);
    expect(summaries('checkout-changes')).toHaveLength(4);
    expect(summaries('openings')).toHaveLength(1);
  });

  it('records nothing when the edit is refused', async () => {
    const declared = await app.admin.post<{ id: string }>('/api/v1/incidents', {
      title: 'Search slow',
      severity: 'P3',
      stageIds: [stageOf['catalog-search/dev']],
    });
    expect(declared.status).toBe(201);
    const refused = await app.admin.patch(`/api/v1/incidents/${declared.body.id}`, {
      severity: 'P1',
      stageIds: ['00000000-0000-4000-8000-000000000000'],
    });
    expect(refused.status).toBe(400);
    const events = await sql(
      app.db.url,
      `SELECT type FROM notification_events WHERE incident_id = $1 ORDER BY occurred_at`,
      [declared.body.id],
    );
    expect(events.map((row) => row.type)).toEqual(['incident.opened']);
  });
});
