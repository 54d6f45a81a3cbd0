import { createTestDatabase, type TestDatabase } from '@flightdeck/test-kit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let database: TestDatabase;
let client: pg.Client;

beforeAll(async () => {
  database = await createTestDatabase();
  client = new pg.Client(database.url);
  await client.connect();
});

afterAll(async () => {
  await client?.end();
  await database?.drop();
});

async function insertStageWithRelease(): Promise<{ stageId: string; releaseId: string }> {
  const { rows } = await client.query<{ stage_id: string; release_id: string }>(`
    WITH service AS (
      INSERT INTO services (id, slug, name, updated_at)
      VALUES (gen_random_uuid(), 'svc-' || gen_random_uuid(), 'Service', now()) RETURNING id
    ), environment AS (
      INSERT INTO environments (id, slug, name, position, tier, updated_at)
      VALUES (gen_random_uuid(), 'env-' || gen_random_uuid(), 'Env', (random() * 1e9)::int, 'production', now())
      RETURNING id
    ), stage AS (
      INSERT INTO stages (id, service_id, environment_id, driver_kind, updated_at)
      SELECT gen_random_uuid(), service.id, environment.id, 'sandbox', now() FROM service, environment
      RETURNING id
    ), release AS (
      INSERT INTO releases (id, service_id, version, commit_sha, source)
      SELECT gen_random_uuid(), service.id, 'v1', 'abc123', 'api' FROM service RETURNING id
    )
    SELECT stage.id AS stage_id, release.id AS release_id FROM stage, release`);
  const row = rows[0];
  if (!row) throw new Error('fixture insert returned nothing');
  return { stageId: row.stage_id, releaseId: row.release_id };
}

async function insertDeployment(stageId: string, releaseId: string, status: string): Promise<string> {
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO deployments (id, stage_id, release_id, kind, status, requested_by, updated_at)
     VALUES (gen_random_uuid(), $1, $2, 'promote', $3, 'test', now()) RETURNING id`,
    [stageId, releaseId, status],
  );
  return rows[0]!.id;
}

describe('deployments_one_active_per_stage', () => {
  it('refuses a second active deployment on a stage', async () => {
    const { stageId, releaseId } = await insertStageWithRelease();
    await insertDeployment(stageId, releaseId, 'queued');
    for (const status of ['queued', 'running', 'verifying']) {
      await expect(insertDeployment(stageId, releaseId, status)).rejects.toMatchObject({
        code: '23505',
        constraint: 'deployments_one_active_per_stage',
      });
    }
  });

  it('allows any number of inactive deployments beside the active one', async () => {
    const { stageId, releaseId } = await insertStageWithRelease();
    await insertDeployment(stageId, releaseId, 'running');
    for (const status of ['pending', 'pending', 'succeeded', 'failed', 'cancelled']) {
      await insertDeployment(stageId, releaseId, status);
    }
  });

  it('allows a new active deployment once the previous one finished, and one per stage', async () => {
    const first = await insertStageWithRelease();
    const other = await insertStageWithRelease();
    const id = await insertDeployment(first.stageId, first.releaseId, 'verifying');
    await insertDeployment(other.stageId, other.releaseId, 'queued');
    await client.query(`UPDATE deployments SET status = 'succeeded' WHERE id = $1`, [id]);
    await insertDeployment(first.stageId, first.releaseId, 'queued');
  });
});
