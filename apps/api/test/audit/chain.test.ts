import { auditVerificationSchema } from '@flightdeck/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeAuditHash, GENESIS_HASH } from '../../src/audit/audit-hash.js';
import { hashedFieldsOf } from '../../src/audit/audit.mappers.js';
import type { AuditInput } from '../../src/audit/audit.service.js';
import { type AuditHarness, startAuditHarness, userActor, withTriggersDisabled } from './audit-harness.js';

let h: AuditHarness;

// Values whose jsonb round trip differs from what was given (key order, dates, -0, unicode, nesting),
// so the verifier must rebuild exactly what was hashed.
function payload(i: number): Pick<AuditInput, 'before' | 'after' | 'reason' | 'target' | 'request'> {
  const shapes: Array<Pick<AuditInput, 'before' | 'after'>> = [
    {},
    { before: { z: 1, a: 2, nested: { y: [3, { x: null }], b: true } }, after: { a: 2, z: 1 } },
    { before: null, after: { at: new Date(Date.UTC(2026, 10, 22, 10, 0, 0, 5)), n: 1.5, neg: -0 } },
    { after: ['π', 'emoji 🚀', 'quote " and \\ slash', '\u00e9'] },
    { before: 'a bare string', after: 42 },
    { before: { big: 12345678901234, small: 1e-7, e: 1e21 }, after: false },
    { before: { omitted: undefined, kept: 'yes' } },
  ];
  return {
    ...shapes[i % shapes.length],
    reason: i % 3 === 0 ? null : `reason ${i}`,
    target: i % 4 === 0 ? null : { type: 'stage', id: `stage-${i}` },
    request: i % 5 === 0 ? null : { ip: `10.0.0.${i % 250}`, userAgent: 'vitest/4' },
  };
}

async function appendEvents(count: number): Promise<void> {
  // Most in long transactions (fast), the rest in waves of 20 parallel transactions racing for the lock.
  let i = 0;
  while (i < count) {
    if ((i / 100) % 2 === 0) {
      const wave = Array.from({ length: Math.min(100, count - i) }, (_, k) => i + k);
      await h.prisma.$transaction(async (tx) => {
        for (const n of wave) {
          await h.audit.record(tx, {
            actor: userActor(`user${n}@example.com`, `u-${n}`),
            action: 'stage.lock',
            outcome: 'success',
            ...payload(n),
          });
        }
      });
      i += wave.length;
    } else {
      for (let end = Math.min(i + 100, count); i < end;) {
        const wave = Array.from({ length: Math.min(20, end - i) }, (_, k) => i + k);
        await Promise.all(
          wave.map((n) =>
            h.record({
              actor: userActor(`user${n}@example.com`),
              action: 'deployment.promote',
              outcome: 'denied',
              ...payload(n),
            }),
          ),
        );
        i += wave.length;
      }
    }
  }
}

async function ids(): Promise<string[]> {
  const { rows } = await h.sql.query<{ id: string }>(
    'SELECT id::text FROM audit_events ORDER BY audit_events.id',
  );
  return rows.map((row) => row.id);
}

async function eventCount(): Promise<number> {
  return (await ids()).length;
}

beforeAll(async () => {
  h = await startAuditHarness();
});

afterAll(async () => {
  await h?.close();
});

describe('an untouched chain', () => {
  it('verifies an empty ledger', async () => {
    await expect(h.verifier.verify()).resolves.toMatchObject({ ok: true, checked: 0, firstBroken: null });
  });

  it('makes one unbroken chain from 20 parallel transactions', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        h.prisma.$transaction(async (tx) => {
          // Start together and hold the transaction open a moment, so the appends truly overlap.
          await tx.$executeRaw`SELECT pg_sleep(${Math.random() * 0.05})`;
          await h.audit.record(tx, {
            actor: userActor(`parallel${i}@example.com`),
            action: 'stage.lock',
            outcome: 'success',
          });
          await tx.$executeRaw`SELECT pg_sleep(${Math.random() * 0.02})`;
        }),
      ),
    );
    const { rows } = await h.sql.query<{ id: string; prev_hash: string; hash: string }>(
      'SELECT id::text, prev_hash, hash FROM audit_events ORDER BY audit_events.id',
    );
    expect(rows).toHaveLength(20);
    // Each event links to the one before it: no fork, no two events claiming the same predecessor.
    expect(rows[0]!.prev_hash).toBe(GENESIS_HASH);
    rows.slice(1).forEach((row, i) => expect(row.prev_hash).toBe(rows[i]!.hash));
    expect(new Set(rows.map((row) => row.prev_hash)).size).toBe(20);
    await expect(h.verifier.verify()).resolves.toMatchObject({ ok: true, checked: 20, firstBroken: null });
  });

  it('leaves no trace of an event whose transaction rolled back, and the chain still holds', async () => {
    await expect(
      h.prisma.$transaction(async (tx) => {
        await h.audit.record(tx, {
          actor: userActor('rollback@example.com'),
          action: 'stage.lock',
          outcome: 'success',
        });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await h.record({ actor: userActor('after@example.com'), action: 'stage.lock', outcome: 'success' });
    const { rows } = await h.sql.query(
      `SELECT 1 FROM audit_events WHERE actor_name = 'rollback@example.com'`,
    );
    expect(rows).toHaveLength(0);
    await expect(h.verifier.verify()).resolves.toMatchObject({ ok: true, checked: 21 });
  });

  it('verifies a few hundred varied events, across verifier batches, with the right count', async () => {
    await appendEvents(1200 - 21);
    const result = await h.verifier.verify();
    expect(result).toMatchObject({ ok: true, checked: 1200, firstBroken: null });
    expect(Date.parse(result.verifiedAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('answers GET /api/v1/audit/verify with the contract shape', async () => {
    const response = await h.get('/api/v1/audit/verify');
    expect(response.status).toBe(200);
    expect(auditVerificationSchema.parse(response.body)).toMatchObject({
      ok: true,
      checked: 1200,
      firstBroken: null,
    });
  });
});

describe('a tampered chain', () => {
  // Each case tampers with the triggers off, checks the verifier, then puts the row back exactly; the
  // chain verifying again afterwards shows the verifier reacted to that change and nothing else.
  async function tampered(id: string, change: string, params: unknown[], check: () => Promise<void>) {
    const { rows } = await h.sql.query<Record<string, unknown>>('SELECT * FROM audit_events WHERE id = $1', [
      id,
    ]);
    const original = rows[0]!;
    await withTriggersDisabled(h.sql, () => h.sql.query(change, [id, ...params]));
    try {
      await check();
    } finally {
      await withTriggersDisabled(h.sql, async () => {
        await h.sql.query('DELETE FROM audit_events WHERE id = $1', [id]);
        const columns = Object.keys(original);
        await h.sql.query(
          `INSERT INTO audit_events (${columns.map((c) => `"${c}"`).join(', ')})
           VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
          columns.map((c) =>
            (c === 'before' || c === 'after') && original[c] !== null
              ? JSON.stringify(original[c])
              : original[c],
          ),
        );
      });
    }
    await expect(h.verifier.verify()).resolves.toMatchObject({ ok: true, checked: 1200 });
  }

  const edits: Array<[string, string]> = [
    ['actor_name', `actor_name = 'mallory@example.com'`],
    ['reason', `reason = coalesce(reason, '') || '!'`],
    ['occurred_at', `occurred_at = occurred_at + interval '1 millisecond'`],
    ['outcome', `outcome = 'success'`],
    ['target_id', `target_id = 'stage-other'`],
    ['before (jsonb key)', `before = coalesce(before, '{}'::jsonb) || '{"extra": 1}'::jsonb`],
    ['after (jsonb)', `after = jsonb_build_object('tampered', true)`],
    ['prev_hash', `prev_hash = repeat('f', 64)`],
  ];

  it.each(edits)('names exactly the event whose %s was altered', async (_, assignment) => {
    const victim = (await ids())[537]!;
    await tampered(victim, `UPDATE audit_events SET ${assignment} WHERE id = $1`, [], async () => {
      await expect(h.verifier.verify()).resolves.toMatchObject({
        ok: false,
        checked: 538,
        firstBroken: { id: victim, reason: 'hash does not match its contents' },
      });
    });
  });

  it('names the next event when one in the middle is deleted', async () => {
    const all = await ids();
    const [kept, deleted, next] = [all[1099]!, all[1100]!, all[1101]!];
    await tampered(deleted, 'DELETE FROM audit_events WHERE id = $1', [], async () => {
      await expect(h.verifier.verify()).resolves.toMatchObject({
        ok: false,
        checked: 1101,
        firstBroken: { id: next, reason: `does not link to event #${kept}` },
      });
    });
  });

  it('names the next event when an edited event was given a fresh, valid hash', async () => {
    const all = await ids();
    const [victim, next] = [all[10]!, all[11]!];
    // The forger recomputes the edited event's own hash; only the link from the next event catches it.
    const [row] = await h.repository.listOldestFirst({ filter: {}, afterId: BigInt(all[9]!), take: 1 });
    const hash = computeAuditHash(hashedFieldsOf({ ...row!, actorName: 'mallory@example.com' }));
    await tampered(
      victim,
      `UPDATE audit_events SET actor_name = 'mallory@example.com', hash = $2 WHERE id = $1`,
      [hash],
      async () => {
        await expect(h.verifier.verify()).resolves.toMatchObject({
          ok: false,
          checked: 12,
          firstBroken: { id: next, reason: `does not link to event #${victim}` },
        });
      },
    );
  });

  it('names the new first event when the first one is deleted', async () => {
    const all = await ids();
    await tampered(all[0]!, 'DELETE FROM audit_events WHERE id = $1', [], async () => {
      await expect(h.verifier.verify()).resolves.toMatchObject({
        ok: false,
        checked: 1,
        firstBroken: { id: all[1], reason: 'does not link to the start of the chain' },
      });
    });
  });

  it('reports the break over HTTP too', async () => {
    const victim = (await ids())[5]!;
    await tampered(victim, `UPDATE audit_events SET ip = '6.6.6.6' WHERE id = $1`, [], async () => {
      const response = await h.get('/api/v1/audit/verify');
      expect(response.status).toBe(200);
      expect(auditVerificationSchema.parse(response.body)).toMatchObject({
        ok: false,
        checked: 6,
        firstBroken: { id: victim, reason: 'hash does not match its contents' },
      });
    });
  });

  it('is whole again after every restore', async () => {
    expect(await eventCount()).toBe(1200);
    await expect(h.verifier.verify()).resolves.toMatchObject({ ok: true, checked: 1200 });
  });
});
