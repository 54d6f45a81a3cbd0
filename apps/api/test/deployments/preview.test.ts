import { boardSchema, type PromotionPreview, promotionPreviewSchema } from '@flightdeck/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../support/sql.js';
import { stageIds, startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
let stageOf: Record<string, string> = {};

beforeAll(async () => {
  app = await startTestApp();
  stageOf = await stageIds(app);
});

afterAll(async () => {
  await app?.close();
});

async function preview(key: string, release?: string): Promise<PromotionPreview> {
  const response = await app.get(
    `/api/v1/stages/${stageOf[key]}/preview${release ? `?release=${release}` : ''}`,
  );
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return promotionPreviewSchema.parse(response.body);
}

describe('promotion preview: why is this blocked, and what would change', () => {
  it('offers the newest release that passed upstream, with every gate passing and the releases in between', async () => {
    const result = await preview('checkout-api/production');
    expect(result.candidate).not.toBeNull();
    expect(result.candidate!.id).not.toBe(result.current?.id);
    expect(result.gates.map((g) => [g.kind, g.state])).toEqual([
      ['lock', 'pass'],
      ['freeze', 'pass'],
      ['incident', 'pass'],
      ['window', 'pass'],
      ['hold', 'pass'],
      ['quarantine', 'pass'],
      ['upstream', 'pass'],
      ['soak', 'pass'],
    ]);
    expect(result.ready).toBe(true);
    expect(result.changes.direction).toBe('forward');
    expect(result.changes.releases[0]!.id).toBe(result.candidate!.id);
    expect(result.changes.releases.map((r) => r.id)).not.toContain(result.current!.id);
    expect(result.summary).toMatch(/^Deploy v[\d.]+ to production: \d+ releases? forward$/);
  });

  it('offers the same release the board marks as ready, for every stage', async () => {
    const board = boardSchema.parse((await app.get('/api/v1/board')).body);
    let compared = 0;
    for (const row of board.rows) {
      for (const cell of Object.values(row.cells)) {
        if (!cell.waiting) continue;
        const result = promotionPreviewSchema.parse(
          (await app.get(`/api/v1/stages/${cell.stageId}/preview`)).body,
        );
        expect(result.candidate?.id, `${row.service.slug}`).toBe(cell.waiting.id);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(3);
  });

  it('does not offer a release that staging has since moved away from', async () => {
    const staging = stageOf['checkout-api/staging']!;
    const production = stageOf['checkout-api/production']!;
    const before = await preview('checkout-api/production');
    // Staging goes back to what production runs (as after a rollback there): nothing newer waits.
    await sql(app.db.url, `UPDATE stage_states SET current_release_id = $1 WHERE stage_id = $2`, [
      before.current!.id,
      staging,
    ]);
    const after = promotionPreviewSchema.parse((await app.get(`/api/v1/stages/${production}/preview`)).body);
    expect(after.candidate).toBeNull();
    expect(after.summary).toMatch(/^Nothing to deploy/);
    await sql(app.db.url, `UPDATE stage_states SET current_release_id = $1 WHERE stage_id = $2`, [
      before.candidate!.id,
      staging,
    ]);
  });

  it('names the lock that blocks a stage', async () => {
    const result = await preview('payments-service/production');
    expect(result.ready).toBe(false);
    const lock = result.gates.find((g) => g.kind === 'lock')!;
    expect(lock.state).toBe('fail');
    expect(lock.message).toMatch(
      /^production is locked by maria\.k since .*: Card network maintenance window/,
    );
    expect(result.summary).toBe(`Blocked: ${lock.message}`);
  });

  it('names a freeze over the stage, and forgets it once lifted', async () => {
    const created = await app.admin.post<{ id: string }>('/api/v1/freezes', {
      scope: 'service',
      service: 'checkout-api',
      reason: 'Launch day',
      window: {
        kind: 'oneoff',
        startsAt: new Date(Date.now() - 60_000).toISOString(),
        endsAt: new Date(Date.now() + 3_600_000).toISOString(),
      },
    });
    const frozen = await preview('checkout-api/production');
    expect(frozen.gates.find((g) => g.kind === 'freeze')).toMatchObject({
      state: 'fail',
      message: expect.stringContaining('Launch day') as unknown,
    });
    await app.admin.delete(`/api/v1/freezes/${created.body.id}`);
    expect((await preview('checkout-api/production')).ready).toBe(true);
  });

  it('refuses a release that has not succeeded upstream, and one that is held', async () => {
    const fresh = await app.admin.post<{ id: string }>('/api/v1/releases', {
      service: 'checkout-api',
      version: 'v7.0.0',
      commitSha: 'abcdef0123456',
    });
    const result = await preview('checkout-api/production', fresh.body.id);
    expect(result.gates.filter((g) => g.state !== 'pass')).toEqual([
      {
        kind: 'upstream',
        state: 'fail',
        message: 'v7.0.0 has not succeeded in staging; promote it there first',
        until: null,
      },
    ]);

    const candidate = (await preview('checkout-api/production')).candidate!;
    await sql(
      app.db.url,
      `UPDATE stage_states SET hold_release_id = $1, hold_reason = 'error rate' WHERE stage_id = $2`,
      [candidate.id, stageOf['checkout-api/production']],
    );
    const held = await preview('checkout-api/production', candidate.id);
    expect(held.gates.find((g) => g.kind === 'hold')).toMatchObject({ state: 'fail' });
    await sql(
      app.db.url,
      `UPDATE stage_states SET hold_release_id = NULL, hold_reason = NULL WHERE stage_id = $1`,
      [stageOf['checkout-api/production']],
    );
  });

  it('waits out a soak time that has not passed yet', async () => {
    const stagingStage = stageOf['checkout-api/staging'];
    await sql(app.db.url, `UPDATE stages SET soak_seconds = 86400 * 30 WHERE id = $1`, [stagingStage]);
    const result = await preview('checkout-api/production');
    const soak = result.gates.find((g) => g.kind === 'soak')!;
    expect(soak.state).toBe('waiting');
    expect(soak.until).not.toBeNull();
    expect(result.summary).toMatch(/^Waiting: Soaking in staging for/);
    await sql(app.db.url, `UPDATE stages SET soak_seconds = 600 WHERE id = $1`, [stagingStage]);
  });

  it('shows what a step back would revert', async () => {
    const history = await app.get<{ items: { release: { id: string }; status: string }[] }>(
      '/api/v1/deployments?service=checkout-api&environment=production&status=succeeded&limit=5',
    );
    const older = history.body.items[1]!.release.id;
    const result = await preview('checkout-api/production', older);
    expect(result.changes.direction).toBe('backward');
    expect(result.changes.releases.map((r) => r.id)).toContain(result.current!.id);
    expect(result.changes.releases.map((r) => r.id)).not.toContain(older);
    expect(result.summary).toMatch(/^Roll production back to /);
  });

  it('answers bad requests by name', async () => {
    const otherService = (
      await app.get<{ items: { id: string }[] }>('/api/v1/releases?service=payments-service&limit=1')
    ).body.items[0]!.id;
    const wrong = await app.get(
      `/api/v1/stages/${stageOf['checkout-api/production']}/preview?release=${otherService}`,
    );
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ code: 'RELEASE_OF_ANOTHER_SERVICE' });
    expect((await app.get('/api/v1/stages/00000000-0000-4000-8000-000000000000/preview')).body).toMatchObject(
      {
        code: 'STAGE_NOT_FOUND',
      },
    );
    expect(
      (await app.get(`/api/v1/stages/${stageOf['checkout-api/production']}/preview?release=nope`)).status,
    ).toBe(400);
  });
});
