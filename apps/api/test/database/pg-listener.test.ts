import type { LiveEvent } from '@flightdeck/contracts';
import { createTestDatabase, type TestDatabase } from '@flightdeck/test-kit';
import { pino } from 'pino';
import { filter, firstValueFrom } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BoardChanges } from '../../src/board/board-changes.js';
import { PG_LISTENER_NAME, PgListener } from '../../src/database/pg-listener.js';
import { LiveEvents } from '../../src/events/live-events.service.js';
import { sql } from '../support/sql.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let db: TestDatabase;
let app: TestApp;

beforeAll(async () => {
  db = await createTestDatabase();
  app = await startTestApp({ env: { FLIGHTDECK_RUNNER: 'false' } });
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

// The backends of one database, as Postgres sees them (the test's own query excluded).
async function backends(url: string): Promise<Array<{ pid: number; name: string; query: string }>> {
  const rows = await sql(
    url,
    `SELECT pid, application_name AS name, query FROM pg_stat_activity
     WHERE datname = current_database() AND pid <> pg_backend_pid() ORDER BY pid`,
  );
  return rows as Array<{ pid: number; name: string; query: string }>;
}

const listenerPids = async (url: string) =>
  (await backends(url)).filter((b) => b.name === PG_LISTENER_NAME).map((b) => b.pid);

async function until(what: string, condition: () => boolean | Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 400; attempt += 1) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`not reached: ${what}`);
}

// A listener on its own, as the app builds it, recording what it is told.
function startListener(url: string) {
  const listener = new PgListener({ url, poolMax: 1, mode: 'external' }, pino({ level: 'silent' }));
  const received: Array<{ channel: string; payload: string | undefined }> = [];
  const hooks = { connects: 0, disconnects: 0, syncWhileAway: [] as Array<Promise<boolean>> };
  listener.onConnect(() => {
    hooks.connects += 1;
  });
  listener.onDisconnect(() => {
    hooks.disconnects += 1;
    hooks.syncWhileAway.push(listener.sync());
  });
  const on = (channel: string) => listener.listen(channel, (payload) => received.push({ channel, payload }));
  return { listener, received, hooks, on };
}

const notify = (channel: string, payload: string) =>
  sql(db.url, `SELECT pg_notify($1, $2)`, [channel, payload]);

// Notifies both test channels and one nobody listens on, then syncs: by then both must have arrived.
async function expectBothDelivered(started: ReturnType<typeof startListener>, tag: string): Promise<void> {
  started.received.length = 0;
  await notify('fd_test_a', `${tag} a`);
  await notify('fd_test_b', `${tag} b`);
  await notify('fd_test_unlistened', tag);
  expect(await started.listener.sync()).toBe(true);
  expect(started.received).toEqual([
    { channel: 'fd_test_a', payload: `${tag} a` },
    { channel: 'fd_test_b', payload: `${tag} b` },
  ]);
}

describe('the shared Postgres listener', () => {
  it('listens on every channel over one connection, and sync() covers what was committed before it', async () => {
    const started = startListener(db.url);
    await started.on('fd_test_a');
    await started.listener.onModuleInit();
    // A channel registered once connected is listened on too.
    await started.on('fd_test_b');
    try {
      expect(started.hooks.connects).toBe(1);
      expect(await listenerPids(db.url)).toHaveLength(1);
      await expectBothDelivered(started, 'first');
    } finally {
      await started.listener.onModuleDestroy();
    }
  });

  it('reconnects after its backend is terminated: hooks fire and handlers keep receiving', async () => {
    const started = startListener(db.url);
    const { listener, hooks } = started;
    await started.on('fd_test_a');
    await started.on('fd_test_b');
    await listener.onModuleInit();
    try {
      const [first] = await listenerPids(db.url);
      await sql(db.url, `SELECT pg_terminate_backend($1)`, [first]);
      await until('the loss noticed', () => hooks.disconnects === 1);
      // While away nothing can be vouched for.
      expect(await hooks.syncWhileAway[0]).toBe(false);
      await until('connected again', () => hooks.connects === 2);
      expect(listener.listening).toBe(true);
      const pids = await listenerPids(db.url);
      expect(pids).toHaveLength(1);
      expect(pids).not.toContain(first);
      await expectBothDelivered(started, 'after');
    } finally {
      await listener.onModuleDestroy();
    }
  });

  it('closes its client on destroy and does not come back, even when it was reconnecting', async () => {
    const { listener, hooks, on } = startListener(db.url);
    await on('fd_test_a');
    await listener.onModuleInit();
    const [pid] = await listenerPids(db.url);
    await sql(db.url, `SELECT pg_terminate_backend($1)`, [pid]);
    await until('the loss noticed', () => hooks.disconnects === 1);
    // A reconnect is scheduled now; shutting down cancels it.
    await listener.onModuleDestroy();
    expect(listener.listening).toBe(false);
    expect(await listener.sync()).toBe(false);
    // Longer than the first backoff: a reconnect that was not cancelled would have connected by now.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await listenerPids(db.url)).toEqual([]);
    expect(hooks.connects).toBe(1);

    // And a connected one leaves no backend behind.
    const second = startListener(db.url);
    await second.on('fd_test_a');
    await second.listener.onModuleInit();
    expect(await listenerPids(db.url)).toHaveLength(1);
    await second.listener.onModuleDestroy();
    await until('its backend gone', async () => (await listenerPids(db.url)).length === 0);
    expect(second.hooks.disconnects).toBe(0);
  });
});

describe('the app', () => {
  const event = (at: string): LiveEvent => ({
    type: 'stage.updated',
    stageId: '00000000-0000-4000-8000-000000000001',
    serviceSlug: 'listener-test',
    environmentSlug: 'listener-test',
    at,
  });

  async function published(live: LiveEvents, at: string): Promise<void> {
    const arrived = firstValueFrom(
      live.stream.pipe(filter((e) => e.type === 'stage.updated' && e.at === at)),
    );
    await live.publish(event(at));
    await arrived;
  }

  it('holds one LISTEN connection for the board and the live events, and both survive its loss', async () => {
    // Only the shared listener ever ran a LISTEN in this database.
    const listening = (await backends(app.db.url)).filter(
      (b) => b.name === PG_LISTENER_NAME || /^\s*LISTEN/i.test(b.query),
    );
    expect(listening.map((b) => b.name)).toEqual([PG_LISTENER_NAME]);

    const board = app.server.app.get(BoardChanges);
    const live = app.server.app.get(LiveEvents);
    const before = await board.sync();
    expect(before).not.toBeNull();
    await sql(app.db.url, `UPDATE services SET name = name || '.' WHERE slug = 'checkout-api'`);
    expect(await board.sync()).toBeGreaterThan(before!);
    await published(live, new Date(1_000).toISOString());

    await sql(app.db.url, `SELECT pg_terminate_backend($1)`, [listening[0]!.pid]);
    await until('the listener back', async () => {
      const pids = await listenerPids(app.db.url);
      return pids.length === 1 && pids[0] !== listening[0]!.pid && (await board.sync()) !== null;
    });
    // Both channels ride the new connection.
    const after = (await board.sync())!;
    await sql(app.db.url, `UPDATE services SET name = name || '.' WHERE slug = 'checkout-api'`);
    expect(await board.sync()).toBeGreaterThan(after);
    await published(live, new Date(2_000).toISOString());
  });
});
