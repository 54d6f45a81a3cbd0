import { PassThrough, Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { auditEventSchema, type AuditEvent } from '@flightdeck/contracts';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { writeJsonLines } from '../../src/audit/audit-export.js';
import type { AuditEventRow } from '../../src/audit/audit.repository.js';
import { type AuditHarness, startAuditHarness, userActor } from './audit-harness.js';

let h: AuditHarness;
const BULK = 5000;

beforeAll(async () => {
  h = await startAuditHarness();
  await h.record({ actor: userActor('ana@example.com', 'u-ana'), action: 'auth.login', outcome: 'success' });
  await h.record({ actor: userActor('bob@example.com', 'u-bob'), action: 'auth.login', outcome: 'failure' });
  await h.record({
    actor: userActor('ana@example.com', 'u-ana'),
    action: 'stage.lock',
    outcome: 'success',
    target: { type: 'stage', id: 's-1' },
    before: { lock: null },
    after: { lock: { reason: 'release freeze "Q4"\n' } },
  });
  // Volume for the streaming checks, written in one statement: these tests are about the export, not the chain.
  await h.sql.query(
    `INSERT INTO audit_events (occurred_at, actor_type, actor_name, action, outcome, target_type, target_id,
       reason, before, prev_hash, hash)
     SELECT now(), 'system', 'bulk', 'bulk.event', 'success', 'stage', 'bulk-' || g, repeat('r', 200),
       jsonb_build_object('n', g), md5('p' || g), md5('h' || g)
     FROM generate_series(1, $1::int) g`,
    [BULK],
  );
  await h.record({ actor: userActor('ana@example.com', 'u-ana'), action: 'auth.logout', outcome: 'success' });
});

afterAll(async () => {
  await h?.close();
});

afterEach(() => {
  vi.restoreAllMocks();
});

function parseLines(body: string): AuditEvent[] {
  expect(body === '' || body.endsWith('\n')).toBe(true);
  return body
    .split('\n')
    .filter((line, i, all) => i < all.length - 1 || line !== '')
    .map((line) => auditEventSchema.parse(JSON.parse(line)));
}

describe('GET /api/v1/audit/export', () => {
  it('streams every event as JSON Lines, oldest first, as a dated attachment, in batches', async () => {
    const batches = vi.spyOn(h.repository, 'listOldestFirst');
    const response = await fetch(`${h.url}/api/v1/audit/export`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="flightdeck-audit-${new Date().toISOString().slice(0, 10)}.jsonl"`,
    );
    expect(response.headers.get('cache-control')).toBe('no-store');
    // Streamed, so no length is known up front.
    expect(response.headers.get('content-length')).toBeNull();
    const events = parseLines(await response.text());
    expect(events).toHaveLength(BULK + 4);
    const ids = events.map((event) => BigInt(event.id));
    ids.slice(1).forEach((id, i) => expect(id).toBeGreaterThan(ids[i]!));
    expect(events[0]).toMatchObject({ action: 'auth.login', actor: { name: 'ana@example.com' } });
    expect(events[2]!.after).toEqual({ lock: { reason: 'release freeze "Q4"\n' } });
    expect(events.at(-1)).toMatchObject({ action: 'auth.logout' });
    // Read page by page, never all at once.
    expect(batches.mock.calls.length).toBeGreaterThanOrEqual(Math.ceil((BULK + 4) / 500));
    for (const [query] of batches.mock.calls) expect(query.take).toBeLessThanOrEqual(500);
  });

  it('applies the same filters as the list', async () => {
    const response = await fetch(`${h.url}/api/v1/audit/export?actor=ANA&outcome=success`);
    const events = parseLines(await response.text());
    expect(events.map((event) => event.action)).toEqual(['auth.login', 'stage.lock', 'auth.logout']);
    const bulk = parseLines(await (await fetch(`${h.url}/api/v1/audit/export?targetId=bulk-4321`)).text());
    expect(bulk).toHaveLength(1);
    expect(bulk[0]!.before).toEqual({ n: 4321 });
  });

  it('answers an empty 200 when nothing matches', async () => {
    const response = await fetch(`${h.url}/api/v1/audit/export?actor=nobody`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it('answers bad filters with a JSON 400 naming the field, not a download', async () => {
    const response = await h.get<{ code: string; details: { issues: Array<{ field: string }> } }>(
      '/api/v1/audit/export?from=last-week',
    );
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(response.headers.get('content-disposition')).toBeNull();
    expect(response.body.details.issues[0]!.field).toBe('from');
  });

  it('answers a JSON 500 when the first batch cannot be read', async () => {
    vi.spyOn(h.repository, 'listOldestFirst').mockRejectedValueOnce(new Error('connection lost'));
    const response = await h.get<{ code: string }>('/api/v1/audit/export');
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(response.body.code).toBe('INTERNAL');
    expect(response.headers.get('content-disposition')).toBeNull();
  });

  it('cuts the connection, rather than ending a truncated file cleanly, when a later batch fails', async () => {
    const real = h.repository.listOldestFirst.bind(h.repository);
    let calls = 0;
    vi.spyOn(h.repository, 'listOldestFirst').mockImplementation((query) => {
      calls += 1;
      return calls === 3 ? Promise.reject(new Error('connection lost')) : real(query);
    });
    const response = await fetch(`${h.url}/api/v1/audit/export`);
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
    // The app is fine afterwards.
    expect((await h.get('/api/v1/audit/events?limit=1')).status).toBe(200);
  });

  it('survives a client that goes away mid-download', async () => {
    h.logs.length = 0;
    const controller = new AbortController();
    const response = await fetch(`${h.url}/api/v1/audit/export`, { signal: controller.signal });
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    controller.abort();
    await sleep(200);
    const after = await fetch(`${h.url}/api/v1/audit/export?actor=bob`);
    expect(parseLines(await after.text())).toHaveLength(1);
    expect(h.logs.join('\n')).not.toMatch(/unhandled error/);
  });
});

describe('writeJsonLines', () => {
  const row = (id: number): AuditEventRow => ({
    id: BigInt(id),
    occurredAt: new Date(Date.UTC(2026, 10, 22)),
    actorType: 'system',
    actorId: null,
    actorName: 'system',
    action: 'demo.seed',
    outcome: 'success',
    targetType: null,
    targetId: null,
    reason: 'x'.repeat(500),
    ip: null,
    userAgent: null,
    before: null,
    after: null,
    prevHash: '0'.repeat(64),
    hash: id.toString(16).padStart(64, '0'),
  });

  // 100 batches of 100 rows; counts how many the writer has asked for and whether it let go early.
  function source() {
    const state = { pulled: 0, returned: false };
    async function* batches(): AsyncGenerator<AuditEventRow[]> {
      try {
        for (let b = 0; b < 100; b += 1) {
          state.pulled += 1;
          await sleep(1);
          yield Array.from({ length: 100 }, (_, i) => row(b * 100 + i + 1));
        }
      } finally {
        state.returned = true;
      }
    }
    return { state, batches: batches() };
  }

  it('reads no further than the client has taken (backpressure), then finishes', async () => {
    const { state, batches } = source();
    const sink = new PassThrough({ highWaterMark: 16 * 1024 });
    const done = writeJsonLines(batches, sink);
    await sleep(100);
    // Nobody reads: one batch fills the buffer and the writer waits instead of reading the other 99.
    expect(state.pulled).toBeLessThanOrEqual(2);
    let lines = 0;
    sink.on('data', (chunk: Buffer) => {
      lines += chunk.toString('utf8').split('\n').length - 1;
    });
    await expect(done).resolves.toBe(true);
    await new Promise((resolve) => sink.once('end', resolve));
    expect(state.pulled).toBe(100);
    expect(lines).toBe(10_000);
  });

  it('lets go of the source when the client disconnects mid-stream', async () => {
    const { state, batches } = source();
    const sink = new Writable({
      highWaterMark: 16 * 1024,
      write: (_chunk, _encoding, callback) => void callback,
    });
    const done = writeJsonLines(batches, sink);
    await sleep(50);
    sink.destroy();
    await expect(done).resolves.toBe(false);
    // The first batch is still waiting to be taken: no further query after the client left.
    expect(state.pulled).toBe(1);
    expect(state.returned).toBe(true);
  });
});
