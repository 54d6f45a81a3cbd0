import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuditHarness, startAuditHarness, userActor } from './audit-harness.js';

let h: AuditHarness;

beforeAll(async () => {
  h = await startAuditHarness();
  for (let i = 0; i < 3; i += 1) {
    await h.record({ actor: userActor('ana@example.com'), action: 'stage.lock', outcome: 'success' });
  }
});

afterAll(async () => {
  await h?.close();
});

const refused = { code: '42501', message: expect.stringContaining('audit_events is append-only') as unknown };

describe('the database keeps the audit ledger append-only', () => {
  it('refuses UPDATE of any event, even by the superuser', async () => {
    await expect(h.sql.query(`UPDATE audit_events SET reason = 'edited'`)).rejects.toMatchObject(refused);
    await expect(
      h.sql.query(
        `UPDATE audit_events SET actor_name = 'mallory' WHERE id = (SELECT min(id) FROM audit_events)`,
      ),
    ).rejects.toMatchObject(refused);
    const { rows } = await h.sql.query<{ n: string }>(
      `SELECT count(*) AS n FROM audit_events WHERE reason = 'edited' OR actor_name = 'mallory'`,
    );
    expect(rows[0]!.n).toBe('0');
  });

  it('refuses DELETE', async () => {
    await expect(
      h.sql.query(`DELETE FROM audit_events WHERE id = (SELECT max(id) FROM audit_events)`),
    ).rejects.toMatchObject(refused);
    await expect(h.sql.query(`DELETE FROM audit_events`)).rejects.toMatchObject(refused);
  });

  it('refuses TRUNCATE', async () => {
    await expect(h.sql.query(`TRUNCATE audit_events`)).rejects.toMatchObject(refused);
  });

  it('still has every event, and still accepts new ones', async () => {
    const before = await h.sql.query<{ n: string }>(`SELECT count(*) AS n FROM audit_events`);
    expect(Number(before.rows[0]!.n)).toBe(3);
    await h.record({ actor: userActor('ana@example.com'), action: 'stage.unlock', outcome: 'success' });
    await expect(h.verifier.verify()).resolves.toMatchObject({ ok: true, checked: 4, firstBroken: null });
  });
});
