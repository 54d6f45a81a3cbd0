import { deploymentWindowSchema, listOf } from '@flightdeck/contracts';
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

type Refusal = { code: string; message: string; details: { issues: { field: string; message: string }[] } };

const weekdays = (name: string, environment = 'production') => ({
  environment,
  name,
  cron: '0 9 * * 1-5',
  durationMinutes: 8 * 60,
  timezone: 'Europe/Berlin',
});

async function listed(query = '') {
  return listOf(deploymentWindowSchema).parse((await app.get(`/api/v1/windows${query}`)).body).items;
}

describe('deployment windows', () => {
  it('adds a window to an environment, lists it with its openings, and removes it, audited each time', async () => {
    const approver = await app.userWith('approver');
    const created = await approver.post('/api/v1/windows', weekdays('Office hours (create/delete)'));
    expect(created.status).toBe(201);
    const window = deploymentWindowSchema.parse(created.body);
    expect(window).toMatchObject({
      environmentSlug: 'production',
      name: 'Office hours (create/delete)',
      cron: '0 9 * * 1-5',
      durationMinutes: 480,
      timezone: 'Europe/Berlin',
    });
    expect(window.createdBy).toMatch(/^approver-.*@flightdeck\.test$/);
    // Either open now (then it ends within 8 h) or the next opening is a weekday at 09:00 Berlin.
    const next = new Date(window.next!.start);
    const berlin = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Berlin',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
    }).format(next);
    expect(berlin).toMatch(/^(Mon|Tue|Wed|Thu|Fri) 09:00$/);
    expect(new Date(window.next!.end).getTime() - next.getTime()).toBe(480 * 60_000);
    if (window.current) expect(new Date(window.current.end).getTime()).toBeGreaterThan(Date.now());

    const mine = (await listed('?environment=production')).filter((w) => w.id === window.id);
    expect(mine).toHaveLength(1);
    expect((await listed('?environment=staging')).some((w) => w.id === window.id)).toBe(false);

    const removed = await approver.delete(`/api/v1/windows/${window.id}`);
    expect(removed.status).toBe(200);
    expect(deploymentWindowSchema.parse(removed.body).id).toBe(window.id);
    expect((await listed()).some((w) => w.id === window.id)).toBe(false);
    expect((await approver.delete(`/api/v1/windows/${window.id}`)).body).toMatchObject({
      code: 'WINDOW_NOT_FOUND',
    });

    const events = await sql(
      app.db.url,
      `SELECT action, outcome, target_type FROM audit_events WHERE target_id = $1 ORDER BY id`,
      [window.id],
    );
    expect(events).toEqual([
      { action: 'window.create', outcome: 'success', target_type: 'deployment_window' },
      { action: 'window.delete', outcome: 'success', target_type: 'deployment_window' },
    ]);
  });

  it('lists windows by environment position, then by name', async () => {
    const suffix = Date.now();
    for (const [name, environment] of [
      [`zz prod ${suffix}`, 'production'],
      [`aa prod ${suffix}`, 'production'],
      [`mm staging ${suffix}`, 'staging'],
    ] as const) {
      expect((await app.admin.post('/api/v1/windows', weekdays(name, environment))).status).toBe(201);
    }
    const environments = (
      await app.get<{ items: { slug: string; position: number }[] }>('/api/v1/environments')
    ).body.items;
    const position = (slug: string) => environments.find((e) => e.slug === slug)!.position;
    const names = (await listed()).filter((w) => w.name.endsWith(String(suffix)));
    const expected = [...names].sort(
      (a, b) =>
        position(a.environmentSlug) - position(b.environmentSlug) ||
        (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    );
    expect(names.map((w) => w.name)).toEqual(expected.map((w) => w.name));
    expect(names.findIndex((w) => w.name.startsWith('aa'))).toBeLessThan(
      names.findIndex((w) => w.name.startsWith('zz')),
    );
  });

  it('names the field that is wrong', async () => {
    const field = async (body: Record<string, unknown>) => {
      const res = await app.admin.post<Refusal>('/api/v1/windows', body);
      expect(res.status).toBe(400);
      return res.body.details.issues[0]!.field;
    };
    expect(await field({ ...weekdays('Bad cron'), cron: '0 9 * * 1-5 2026' })).toBe('cron');
    expect(await field({ ...weekdays('Bad cron'), cron: '0 99 * * 1-5' })).toBe('cron');
    expect(await field({ ...weekdays('Bad zone'), timezone: 'Mars/Olympus' })).toBe('timezone');
    expect(await field({ ...weekdays('No time'), durationMinutes: 0 })).toBe('durationMinutes');
    expect(await field({ ...weekdays('Too long'), durationMinutes: 10_081 })).toBe('durationMinutes');
    const message = await app.admin.post<Refusal>('/api/v1/windows', {
      ...weekdays('Bad zone'),
      timezone: 'Mars/Olympus',
    });
    expect(message.body).toMatchObject({ code: 'INVALID_BODY' });
    expect(message.body.message).toContain('timezone');
    expect(message.body.message).not.toContain('window.');

    const unknown = await app.admin.post('/api/v1/windows', weekdays('Nowhere', 'ghost'));
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'ENVIRONMENT_NOT_FOUND' });

    const rows = await sql(
      app.db.url,
      `SELECT count(*)::int AS n FROM deployment_windows WHERE name IN ('Bad cron', 'Bad zone', 'No time', 'Too long', 'Nowhere')`,
    );
    expect(rows[0]!.n).toBe(0);
  });

  it('lets viewers read windows but only approvers and admins change them', async () => {
    const viewer = await app.userWith('viewer');
    expect((await viewer.get('/api/v1/windows')).status).toBe(200);
    expect((await viewer.post('/api/v1/windows', weekdays('viewers cannot add'))).status).toBe(403);

    const deployer = await app.userWith('deployer');
    const refused = await deployer.post('/api/v1/windows', weekdays('deployers cannot add'));
    expect(refused.status).toBe(403);
    const rows = await sql(
      app.db.url,
      `SELECT count(*)::int AS n FROM deployment_windows WHERE name IN ('viewers cannot add', 'deployers cannot add')`,
    );
    expect(rows[0]!.n).toBe(0);

    const window = deploymentWindowSchema.parse(
      (await app.admin.post('/api/v1/windows', weekdays('kept from deployers'))).body,
    );
    expect((await deployer.delete(`/api/v1/windows/${window.id}`)).status).toBe(403);
    expect((await listed()).some((w) => w.id === window.id)).toBe(true);
    const denied = await sql(
      app.db.url,
      `SELECT target_id, reason FROM audit_events
        WHERE action = 'access.denied' AND actor_name LIKE 'deployer-%' AND target_id LIKE '% /api/v1/windows%'
        ORDER BY id`,
    );
    expect(denied).toEqual([
      { target_id: 'POST /api/v1/windows', reason: 'needs freezes:write' },
      { target_id: 'DELETE /api/v1/windows/:id', reason: 'needs freezes:write' },
    ]);
  });
});
