import { boardSchema, freezeSchema, listOf } from '@flightdeck/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../support/sql.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});

afterAll(async () => {
  await app?.close();
});

const hours = (n: number) => new Date(Date.now() + n * 3_600_000).toISOString();

async function boardCell(service: string, environment: string) {
  const board = boardSchema.parse((await app.get('/api/v1/board')).body);
  const env = board.environments.find((e) => e.slug === environment)!;
  return board.rows.find((r) => r.service.slug === service)!.cells[env.id]!;
}

describe('freezes', () => {
  it('freezes an environment now and shows it on every stage there until it ends', async () => {
    const approver = await app.userWith('approver');
    const endsAt = hours(48);
    const created = await approver.post('/api/v1/freezes', {
      scope: 'environment',
      environment: 'production',
      reason: 'Year-end change freeze',
      window: { kind: 'oneoff', startsAt: hours(-1), endsAt },
    });
    expect(created.status).toBe(201);
    const freeze = freezeSchema.parse(created.body);
    expect(freeze.current?.end).toBe(endsAt);
    const cell = await boardCell('checkout-api', 'production');
    expect(cell.freeze).toMatchObject({
      id: freeze.id,
      reason: 'Year-end change freeze',
      scope: 'environment',
    });
    expect((await boardCell('checkout-api', 'staging')).freeze).toBeNull();

    const [event] = await sql(
      app.db.url,
      `SELECT action, actor_name FROM audit_events WHERE target_id = $1`,
      [freeze.id],
    );
    expect(event).toMatchObject({ action: 'freeze.create' });

    expect((await approver.delete(`/api/v1/freezes/${freeze.id}`)).status).toBe(200);
    expect((await boardCell('checkout-api', 'production')).freeze).toBeNull();
  });

  it('keeps a recurring freeze with its next window, and scopes a service freeze to that service', async () => {
    const created = await app.admin.post('/api/v1/freezes', {
      scope: 'service',
      service: 'payments-service',
      reason: 'No Friday deploys for payments',
      window: { kind: 'recurring', cron: '0 16 * * 5', durationMinutes: 64 * 60, timezone: 'Europe/Berlin' },
    });
    expect(created.status).toBe(201);
    const listed = listOf(freezeSchema).parse((await app.get('/api/v1/freezes')).body).items;
    const recurring = listed.find((f) => f.reason === 'No Friday deploys for payments')!;
    expect(recurring.next).not.toBeNull();
    expect(new Date(recurring.next!.start).getUTCDay()).toBe(5);
    const active = listOf(freezeSchema).parse((await app.get('/api/v1/freezes?active=true')).body).items;
    expect(active.every((f) => f.current !== null)).toBe(true);
  });

  it('names what is wrong with a freeze, and lets only approvers and admins declare one', async () => {
    const noTarget = await app.admin.post<{ details: { issues: { field: string }[] } }>('/api/v1/freezes', {
      scope: 'environment',
      reason: 'missing target',
      window: { kind: 'oneoff', startsAt: hours(1), endsAt: hours(2) },
    });
    expect(noTarget.status).toBe(400);
    expect(noTarget.body.details.issues[0]!.field).toBe('environment');
    const backwards = await app.admin.post<{ details: { issues: { field: string }[] } }>('/api/v1/freezes', {
      scope: 'all',
      reason: 'ends before it starts',
      window: { kind: 'oneoff', startsAt: hours(2), endsAt: hours(1) },
    });
    expect(backwards.body.details.issues[0]!.field).toBe('window.endsAt');
    const badZone = await app.admin.post<{ details: { issues: { field: string }[] } }>('/api/v1/freezes', {
      scope: 'all',
      reason: 'nowhere',
      window: { kind: 'recurring', cron: '0 16 * * 5', durationMinutes: 60, timezone: 'Mars/Olympus' },
    });
    expect(badZone.body.details.issues[0]!.field).toBe('window.timezone');
    const unknown = await app.admin.post('/api/v1/freezes', {
      scope: 'service',
      service: 'ghost',
      reason: 'no such service',
      window: { kind: 'oneoff', startsAt: hours(1), endsAt: hours(2) },
    });
    expect(unknown.body).toMatchObject({ code: 'SERVICE_NOT_FOUND' });

    const deployer = await app.userWith('deployer');
    const refused = await deployer.post('/api/v1/freezes', {
      scope: 'all',
      reason: 'deployers cannot freeze',
      window: { kind: 'oneoff', startsAt: hours(1), endsAt: hours(2) },
    });
    expect(refused.status).toBe(403);
    const rows = await sql(
      app.db.url,
      `SELECT count(*)::int AS n FROM freezes WHERE reason = 'deployers cannot freeze'`,
    );
    expect(rows[0]!.n).toBe(0);
  });

  it('is refused by the database when its shape is inconsistent', async () => {
    await expect(
      sql(
        app.db.url,
        `INSERT INTO freezes (id, scope, reason, created_by) VALUES (gen_random_uuid(), 'all', 'no window', 'x')`,
      ),
    ).rejects.toThrow(/freezes_window/);
  });
});
