import type { NotificationChannel, NotificationDelivery } from '@flightdeck/contracts';
import { startFakeNotificationReceiver, type FakeNotificationReceiver } from '@flightdeck/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../support/sql.js';
import { stageIds, startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
let receiver: FakeNotificationReceiver;
let stageOf: Record<string, string> = {};

beforeAll(async () => {
  app = await startTestApp();
  receiver = await startFakeNotificationReceiver({});
  stageOf = await stageIds(app);
});

afterAll(async () => {
  await app?.close();
  await receiver?.close();
});

async function idOf(table: 'services' | 'environments', slug: string): Promise<string> {
  const [row] = await sql(app.db.url, `SELECT id FROM ${table} WHERE slug = $1`, [slug]);
  return row!.id as string;
}

async function channel(name: string, filters: Record<string, unknown>): Promise<NotificationChannel> {
  const created = await app.admin.post<NotificationChannel>('/api/v1/notification-channels', {
    name,
    kind: 'webhook',
    url: `${receiver.url}/hooks/${name}`,
    eventTypes: ['incident.opened'],
    ...filters,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body;
}

// The incident's events have been turned into deliveries (or matched no channel).
async function fannedOut(incidentId: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const rows = await sql(
      app.db.url,
      'SELECT count(*)::int AS n FROM notification_events WHERE incident_id = $1 AND fanned_out_at IS NULL',
      [incidentId],
    );
    if (rows[0]!.n === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`events of incident ${incidentId} were not fanned out`);
}

async function incidentDeliveries(channelId: string, incidentId: string): Promise<NotificationDelivery[]> {
  const page = await app.get<{ items: NotificationDelivery[] }>(
    `/api/v1/notification-deliveries?channelId=${channelId}&limit=200`,
  );
  expect(page.status, JSON.stringify(page.body)).toBe(200);
  return page.body.items.filter((delivery) => delivery.incidentId === incidentId);
}

describe('incident notifications and channel filters', () => {
  it('reach a channel filtered to any one of the services or environments the incident affects', async () => {
    const onB = await channel('service-b', { serviceIds: [await idOf('services', 'fraud-scoring')] });
    const onC = await channel('service-c', { serviceIds: [await idOf('services', 'inventory-sync')] });
    const onStaging = await channel('staging', { environmentIds: [await idOf('environments', 'staging')] });
    const onProduction = await channel('production', {
      environmentIds: [await idOf('environments', 'production')],
    });

    // Services A and B, in dev and staging: no single service or environment to record on the event.
    const declared = await app.admin.post<{ id: string }>('/api/v1/incidents', {
      title: 'Search and scoring time out',
      severity: 'P2',
      stageIds: [stageOf['catalog-search/dev'], stageOf['fraud-scoring/staging']],
    });
    expect(declared.status, JSON.stringify(declared.body)).toBe(201);
    await fannedOut(declared.body.id);

    const received = async (c: NotificationChannel) =>
      (await incidentDeliveries(c.id, declared.body.id)).map((delivery) => delivery.eventType);
    expect(await received(onB)).toEqual(['incident.opened']);
    expect(await received(onStaging)).toEqual(['incident.opened']);
    expect(await received(onC)).toEqual([]);
    expect(await received(onProduction)).toEqual([]);
  });
});
