import { randomBytes, randomUUID } from 'node:crypto';
import { isTerminal, type DeploymentStatus } from '@flightdeck/contracts';
import type { FakeWebhookTarget } from '@flightdeck/test-kit';
import pg from 'pg';
import { webhookSecretAad } from '../../../src/drivers/webhook/webhook-config.js';
import { SecretBox } from '../../../src/secrets/secret-box.js';
import type { HttpClient } from '../../support/http-client.js';

export const WEBHOOK_SECRET = 'the webhook secret for operations tests';

export interface TestStage {
  readonly stageId: string;
  readonly releaseId: string;
}

// `count` services of their own, each with one stage in dev (no gates) using `driver`, and one release
// to deploy there.
export async function createStages(
  databaseUrl: string,
  count: number,
  driver: { kind: string; config: (stageId: string) => Record<string, unknown> },
  deadlineSeconds = 600,
): Promise<TestStage[]> {
  const client = new pg.Client(databaseUrl);
  await client.connect();
  try {
    const stages: TestStage[] = [];
    for (let i = 0; i < count; i++) {
      const slug = `ops-${randomUUID().slice(0, 8)}`;
      const stageId = randomUUID();
      const { rows } = await client.query<{ release_id: string }>(
        `WITH service AS (
           INSERT INTO services (id, slug, name, updated_at) VALUES (gen_random_uuid(), $1, $1, now()) RETURNING id
         ), stage AS (
           INSERT INTO stages (id, service_id, environment_id, driver_kind, driver_config, deadline_seconds, updated_at)
           SELECT $2, service.id, e.id, $3, $4::jsonb, $6, now() FROM service, environments e WHERE e.slug = 'dev'
           RETURNING id
         ), state AS (
           INSERT INTO stage_states (stage_id, updated_at) SELECT id, now() FROM stage
         )
         INSERT INTO releases (id, service_id, version, commit_sha, artifact_ref, source)
         SELECT gen_random_uuid(), service.id, 'v1.0.0', $5, 'registry.example.com/app:v1.0.0', 'api' FROM service
         RETURNING id AS release_id`,
        [
          slug,
          stageId,
          driver.kind,
          JSON.stringify(driver.config(stageId)),
          randomBytes(20).toString('hex'),
          deadlineSeconds,
        ],
      );
      stages.push({ stageId, releaseId: rows[0]!.release_id });
    }
    return stages;
  } finally {
    await client.end();
  }
}

// Webhook stages pointing at the fake target, which they poll for status every second.
export function webhookStages(
  databaseUrl: string,
  secretKey: Buffer,
  target: FakeWebhookTarget,
  count: number,
  deadlineSeconds?: number,
): Promise<TestStage[]> {
  const box = new SecretBox(secretKey);
  return createStages(
    databaseUrl,
    count,
    {
      kind: 'webhook',
      config: (stageId) => ({
        url: target.deployUrl,
        secretSealed: box.seal(WEBHOOK_SECRET, webhookSecretAad(stageId)),
        statusUrl: target.statusUrl,
        timeoutSeconds: 5,
        maxAttempts: 3,
        pollIntervalSeconds: 1,
      }),
    },
    deadlineSeconds,
  );
}

// Sandbox stages whose deployments take `durationSeconds` and always succeed.
export function sandboxStages(databaseUrl: string, count: number, durationSeconds: number) {
  return createStages(databaseUrl, count, {
    kind: 'sandbox',
    config: () => ({ durationSeconds, failureRate: 0, health: 'healthy' }),
  });
}

export async function requestDeployment(client: HttpClient, stage: TestStage): Promise<string> {
  const response = await client.post<{ id: string }>('/api/v1/deployments', {
    stageId: stage.stageId,
    releaseId: stage.releaseId,
    reason: 'operations drill',
  });
  if (response.status !== 201) throw new Error(`${response.status}: ${JSON.stringify(response.body)}`);
  return response.body.id;
}

export async function statusesOf(
  databaseUrl: string,
  ids: readonly string[],
): Promise<Map<string, DeploymentStatus>> {
  const client = new pg.Client(databaseUrl);
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string; status: DeploymentStatus }>(
      'SELECT id, status FROM deployments WHERE id = ANY($1::uuid[])',
      [ids],
    );
    return new Map(rows.map((row) => [row.id, row.status]));
  } finally {
    await client.end();
  }
}

export async function allTerminal(databaseUrl: string, ids: readonly string[]): Promise<boolean> {
  const statuses = await statusesOf(databaseUrl, ids);
  return ids.every((id) => {
    const status = statuses.get(id);
    return status !== undefined && isTerminal(status);
  });
}

// How often each deployment went queued → running: once, unless two runners both started it.
export async function runningTransitions(
  databaseUrl: string,
  ids: readonly string[],
): Promise<Map<string, number>> {
  const client = new pg.Client(databaseUrl);
  await client.connect();
  try {
    const { rows } = await client.query<{ deployment_id: string; starts: number }>(
      `SELECT deployment_id, count(*)::int AS starts FROM deployment_events
       WHERE deployment_id = ANY($1::uuid[]) AND from_status = 'queued' AND to_status = 'running'
       GROUP BY deployment_id`,
      [ids],
    );
    return new Map(rows.map((row) => [row.deployment_id, row.starts]));
  } finally {
    await client.end();
  }
}
