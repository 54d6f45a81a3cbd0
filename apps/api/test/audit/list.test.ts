import { setTimeout as sleep } from 'node:timers/promises';
import { endpoints, type AuditEvent } from '@flightdeck/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditInput } from '../../src/audit/audit.service.js';
import { type AuditHarness, startAuditHarness } from './audit-harness.js';

let h: AuditHarness;
// Instants between three groups of events, for the from/to filters.
let firstGroupEnd: string;
let secondGroupEnd: string;

const ana = { type: 'user', id: 'u-ana', name: 'ana@example.com' } as const;
const bob = { type: 'user', id: 'u-bob', name: 'bob_builder 100%' } as const;
const anaToken = { type: 'token', id: 'tok-1', name: 'ana@example.com (token)' } as const;
const system = { type: 'system', id: null, name: 'system' } as const;

const groups: AuditInput[][] = [
  [
    { actor: ana, action: 'auth.login', outcome: 'success' },
    { actor: bob, action: 'auth.login', outcome: 'failure', reason: 'bad password' },
    { actor: system, action: 'demo.seed', outcome: 'success' },
  ],
  [
    { actor: ana, action: 'stage.lock', outcome: 'success', target: { type: 'stage', id: 's-1' } },
    { actor: bob, action: 'stage.lock', outcome: 'denied', target: { type: 'stage', id: 's-1' } },
    {
      actor: anaToken,
      action: 'deployment.promote',
      outcome: 'success',
      target: { type: 'stage', id: 's-2' },
    },
    { actor: bob, action: 'authz.check', outcome: 'denied' },
  ],
  [
    { actor: ana, action: 'auth.logout', outcome: 'success' },
    { actor: bob, action: 'access.denied', outcome: 'denied', target: { type: 'route', id: 'GET /x' } },
    { actor: system, action: 'stage.unlock', outcome: 'success', target: { type: 'stage', id: 's-1' } },
  ],
];

type Page = { items: AuditEvent[]; nextCursor: string | null };

async function list(query: string): Promise<Page> {
  const response = await h.get(`/api/v1/audit/events${query ? `?${query}` : ''}`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return endpoints.listAuditEvents.response.parse(response.body);
}

async function actions(query: string): Promise<string[]> {
  return (await list(query)).items.map((event) => `${event.actor.name}:${event.action}`);
}

beforeAll(async () => {
  h = await startAuditHarness();
  const ends: string[] = [];
  for (const group of groups) {
    for (const input of group) await h.record(input);
    await sleep(5);
    ends.push(new Date().toISOString());
    await sleep(5);
  }
  [firstGroupEnd, secondGroupEnd] = ends as [string, string];
});

afterAll(async () => {
  await h?.close();
});

describe('GET /api/v1/audit/events', () => {
  it('lists every event newest first, in the contract shape', async () => {
    const { items, nextCursor } = await list('');
    expect(items).toHaveLength(10);
    expect(nextCursor).toBeNull();
    const ids = items.map((event) => BigInt(event.id));
    expect(ids).toEqual([...ids].sort((a, b) => (a > b ? -1 : 1)));
    expect(items[0]).toMatchObject({
      actor: { type: 'system', id: null, name: 'system' },
      action: 'stage.unlock',
      outcome: 'success',
      target: { type: 'stage', id: 's-1' },
      reason: null,
      before: null,
      after: null,
    });
    expect(items.at(-1)!.prevHash).toBe('0'.repeat(64));
    expect(items[1]!.hash).toBe(items[0]!.prevHash);
  });

  it('filters by actor id exactly, or by name case-insensitively', async () => {
    expect(await actions('actor=u-bob')).toEqual([
      'bob_builder 100%:access.denied',
      'bob_builder 100%:authz.check',
      'bob_builder 100%:stage.lock',
      'bob_builder 100%:auth.login',
    ]);
    expect(await actions('actor=tok-1')).toEqual(['ana@example.com (token):deployment.promote']);
    expect(await actions('actor=ANA%40EXAMPLE')).toEqual([
      'ana@example.com:auth.logout',
      'ana@example.com (token):deployment.promote',
      'ana@example.com:stage.lock',
      'ana@example.com:auth.login',
    ]);
    expect(await actions('actor=builder')).toHaveLength(4);
    // An id is matched whole, not as a part.
    expect(await actions('actor=u-')).toEqual([]);
  });

  it('treats LIKE wildcards in filters as plain characters', async () => {
    // `_` and `%` as wildcards would match "ana" and everything.
    expect(await actions('actor=a_a')).toEqual([]);
    expect(await actions('action=a_th')).toEqual([]);
    expect(await actions('action=%25')).toEqual([]);
    expect(await actions('actor=%25')).toHaveLength(4);
    expect(await actions('actor=B_B')).toHaveLength(4);
  });

  it('filters by action, itself or its dotted children', async () => {
    expect(await actions('action=auth.login')).toEqual([
      'bob_builder 100%:auth.login',
      'ana@example.com:auth.login',
    ]);
    expect(await actions('action=auth')).toEqual([
      'ana@example.com:auth.logout',
      'bob_builder 100%:auth.login',
      'ana@example.com:auth.login',
    ]);
    expect(await actions('action=stage.lock')).toHaveLength(2);
    expect(await actions('action=stage.lo')).toEqual([]);
  });

  it('filters by outcome, target and both together with an actor', async () => {
    expect(await actions('outcome=denied')).toEqual([
      'bob_builder 100%:access.denied',
      'bob_builder 100%:authz.check',
      'bob_builder 100%:stage.lock',
    ]);
    expect(await actions('targetType=stage&targetId=s-1')).toEqual([
      'system:stage.unlock',
      'bob_builder 100%:stage.lock',
      'ana@example.com:stage.lock',
    ]);
    expect(await actions('targetType=stage')).toHaveLength(4);
    expect(await actions('targetType=stage&targetId=s-1&actor=ana&outcome=success')).toEqual([
      'ana@example.com:stage.lock',
    ]);
  });

  it('filters by time: from inclusive, to exclusive', async () => {
    expect(await actions(`from=${firstGroupEnd}&to=${secondGroupEnd}`)).toEqual([
      'bob_builder 100%:authz.check',
      'ana@example.com (token):deployment.promote',
      'bob_builder 100%:stage.lock',
      'ana@example.com:stage.lock',
    ]);
    expect(await actions(`to=${firstGroupEnd}`)).toHaveLength(3);
    expect(await actions(`from=${secondGroupEnd}`)).toHaveLength(3);
    const { items } = await list('limit=1');
    const newest = items[0]!;
    expect((await list(`from=${newest.occurredAt}`)).items.map((event) => event.id)).toContain(newest.id);
    expect((await list(`to=${newest.occurredAt}`)).items.map((event) => event.id)).not.toContain(newest.id);
    // Offsets other than Z mean the same instant.
    const plusTwo = new Date(Date.parse(firstGroupEnd) + 2 * 3600_000).toISOString().replace('Z', '+02:00');
    expect(await actions(`to=${encodeURIComponent(plusTwo)}`)).toHaveLength(3);
  });
});

describe('pagination', () => {
  async function walk(query: string, limit: number): Promise<string[]> {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Page = await list(`${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(limit);
      seen.push(...page.items.map((event) => event.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 100);
    return seen;
  }

  it('walks every event once, without gaps or repeats, whatever the page size', async () => {
    const all = (await list('limit=200')).items.map((event) => event.id);
    for (const limit of [1, 3, 4, 9, 10, 11]) {
      expect(await walk('', limit)).toEqual(all);
    }
  });

  it('keeps filters across pages', async () => {
    const all = (await list('actor=bob&limit=200')).items.map((event) => event.id);
    expect(all).toHaveLength(4);
    expect(await walk('actor=bob', 3)).toEqual(all);
  });

  it('ends with a null cursor when the last page is exactly full', async () => {
    const first = await list('limit=5');
    expect(first.nextCursor).not.toBeNull();
    const second = await list(`limit=5&cursor=${first.nextCursor}`);
    expect(second.items).toHaveLength(5);
    expect(second.nextCursor).toBeNull();
  });

  it('is stable while events are appended between pages', async () => {
    const before = (await list('limit=200')).items.map((event) => event.id);
    const first = await list('limit=4');
    await h.record({ actor: ana, action: 'stage.lock', outcome: 'success' });
    await h.record({ actor: ana, action: 'stage.unlock', outcome: 'success' });
    let cursor = first.nextCursor;
    const rest: string[] = [];
    while (cursor) {
      const page: Page = await list(`limit=4&cursor=${cursor}`);
      rest.push(...page.items.map((event) => event.id));
      cursor = page.nextCursor;
    }
    expect([...first.items.map((event) => event.id), ...rest]).toEqual(before);
  });
});

describe('bad queries', () => {
  const cursorOf = (text: string) => Buffer.from(text).toString('base64url');
  const cases: Array<[string, string]> = [
    ['limit=0', 'limit'],
    ['limit=201', 'limit'],
    ['limit=ten', 'limit'],
    ['outcome=maybe', 'outcome'],
    ['from=yesterday', 'from'],
    ['to=2026-13-01T00:00:00Z', 'to'],
    ['from=2026-11-22', 'from'],
    ['actor=', 'actor'],
    [`targetType=${'x'.repeat(51)}`, 'targetType'],
    ['cursor=%21%21%21', 'cursor'],
    [`cursor=${cursorOf('audit:abc')}`, 'cursor'],
    [`cursor=${cursorOf('audit:-5')}`, 'cursor'],
    [`cursor=${cursorOf('audit:0')}`, 'cursor'],
    [`cursor=${cursorOf('audit:99999999999999999999')}`, 'cursor'],
    [`cursor=${cursorOf('2026-11-22T00:00:00.000Z|9c4a1b7e-3f4e-4a8b-9d2c-1e2f3a4b5c6d')}`, 'cursor'],
    ['from=2026-11-22T10:00:00Z&to=2026-11-22T09:00:00Z', 'to'],
  ];

  it.each(cases)('answers %s with a 400 naming %s', async (query, field) => {
    const response = await h.get<{
      code: string;
      message: string;
      details: { issues: Array<{ field: string }> };
    }>(`/api/v1/audit/events?${query}`);
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('INVALID_QUERY');
    expect(response.body.details.issues.map((issue) => issue.field)).toContain(field);
    expect(response.body.message).toContain(field);
  });

  it('accepts a cursor it made, and the same filters on the export', async () => {
    const { nextCursor } = await list('limit=1');
    expect(nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
    const response = await h.get('/api/v1/audit/export?outcome=maybe');
    expect(response.status).toBe(400);
    expect(response.headers.get('content-disposition')).toBeNull();
  });
});
