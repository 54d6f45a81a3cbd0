import { randomBytes, randomUUID } from 'node:crypto';
import { boardSchema, deploymentDetailSchema, type DeploymentDetail } from '@flightdeck/contracts';
import { type FakeWebhookTarget, startFakeWebhookTarget } from '@flightdeck/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookSecretAad } from '../../src/drivers/webhook/webhook-config.js';
import { SecretBox } from '../../src/secrets/secret-box.js';
import { sql } from '../support/sql.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const SECRET = 'the webhook secret for end-to-end tests';
// Shared by both instances, so each can open the secrets the other sealed.
const env = {
  FLIGHTDECK_SECRET_KEY: randomBytes(32).toString('base64'),
  FLIGHTDECK_RUNNER_INTERVAL_MS: '100',
};

let app: TestApp;
let target: FakeWebhookTarget;

beforeAll(async () => {
  app = await startTestApp({ env });
  target = await startFakeWebhookTarget({ secret: SECRET });
});

afterAll(async () => {
  await target?.close();
  await app?.close();
});

interface WebhookStage {
  readonly stageId: string;
  readonly releaseId: string;
  readonly serviceSlug: string;
}

// A service of its own with one webhook stage in dev (no upstream, no gates) and one release to deploy.
async function webhookStage(
  config: { timeoutSeconds?: number; maxAttempts?: number; statusUrl?: string | null } = {},
  deadlineSeconds = 1800,
): Promise<WebhookStage> {
  const box = app.server.app.get(SecretBox);
  const serviceSlug = `hook-${randomUUID().slice(0, 8)}`;
  const stageId = randomUUID();
  const [service] = await sql(
    app.db.url,
    `INSERT INTO services (id, slug, name, updated_at) VALUES (gen_random_uuid(), $1, $1, now()) RETURNING id`,
    [serviceSlug],
  );
  const driverConfig = {
    url: target.deployUrl,
    secretSealed: box.seal(SECRET, webhookSecretAad(stageId)),
    statusUrl: null,
    timeoutSeconds: 5,
    maxAttempts: 3,
    pollIntervalSeconds: 5,
    ...config,
  };
  await sql(
    app.db.url,
    `INSERT INTO stages (id, service_id, environment_id, driver_kind, driver_config, deadline_seconds, updated_at)
     SELECT $1, $2, e.id, 'webhook', $3::jsonb, $4, now() FROM environments e WHERE e.slug = 'dev'`,
    [stageId, service!.id, JSON.stringify(driverConfig), deadlineSeconds],
  );
  await sql(app.db.url, `INSERT INTO stage_states (stage_id, updated_at) VALUES ($1, now())`, [stageId]);
  const [release] = await sql(
    app.db.url,
    `INSERT INTO releases (id, service_id, version, commit_sha, artifact_ref, source)
     VALUES (gen_random_uuid(), $1, 'v2.0.0', $2, 'registry.example.com/app:v2.0.0', 'api') RETURNING id`,
    [service!.id, randomBytes(20).toString('hex')],
  );
  return { stageId, releaseId: release!.id as string, serviceSlug };
}

async function deploy(stage: WebhookStage): Promise<string> {
  const created = await app.admin.post<{ id: string; status: string }>('/api/v1/deployments', {
    stageId: stage.stageId,
    releaseId: stage.releaseId,
    reason: 'webhook end-to-end',
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id;
}

const TERMINAL = new Set([
  'succeeded',
  'failed',
  'cancelled',
  'timed_out',
  'rejected',
  'superseded',
  'expired',
]);

async function finished(id: string, timeoutMs = 20_000): Promise<DeploymentDetail> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const detail = deploymentDetailSchema.parse((await app.get(`/api/v1/deployments/${id}`)).body);
    if (TERMINAL.has(detail.status)) return detail;
    if (Date.now() > until) throw new Error(`deployment ${id} still ${detail.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('webhook deployments through the runner', () => {
  it('retries a target that answers 500 and fails with the reason after maxAttempts', async () => {
    const stage = await webhookStage({ maxAttempts: 3 });
    const id = await deploy(stage);
    target.setBehaviour({ kind: 'fail', times: 99, status: 500, body: 'upstream exploded' }, id);
    const detail = await finished(id);
    expect(detail.status).toBe('failed');
    expect(detail.error).toBe('Webhook target answered 500 on all 3 attempts: upstream exploded');
    expect(target.starts(id)).toHaveLength(3);
    const messages = detail.events.map((event) => event.message);
    expect(messages).toContain('Attempt 1 of 3: target answered 500 (upstream exploded); retrying in 1 s');
    expect(messages).toContain('Attempt 2 of 3: target answered 500 (upstream exploded); retrying in 2 s');
    // The backoff held: the third call came at least 1 s + 2 s after the first.
    const [first, , third] = target.starts(id);
    expect(third!.receivedAt.getTime() - first!.receivedAt.getTime()).toBeGreaterThanOrEqual(2_900);
  });

  it('ends timed_out when the target never answers', async () => {
    const stage = await webhookStage({ timeoutSeconds: 1, maxAttempts: 2 });
    const id = await deploy(stage);
    target.setBehaviour({ kind: 'hang' }, id);
    const detail = await finished(id);
    expect(detail.status).toBe('timed_out');
    expect(detail.error).toBe('Webhook target did not answer within 1 s on any of 2 attempts');
    expect(target.starts(id)).toHaveLength(2);
  });

  it('ends timed_out at the stage deadline when an accepted deployment never reports, and asks the target to stop', async () => {
    const stage = await webhookStage({}, 2);
    const id = await deploy(stage);
    target.setBehaviour({ kind: 'accept', status: 202 }, id);
    const detail = await finished(id);
    expect(detail.status).toBe('timed_out');
    expect(target.starts(id)).toHaveLength(1);
    await target.waitFor(() =>
      target.requests.some((r) => r.event === 'deployment.cancel' && r.deploymentId === id),
    );
    const cancel = target.requests.find((r) => r.event === 'deployment.cancel' && r.deploymentId === id);
    expect(cancel!.signatureValid).toBe(true);
  });

  it('succeeds on a signed callback and shows the release on the board', async () => {
    const stage = await webhookStage();
    const id = await deploy(stage);
    target.setBehaviour(
      {
        kind: 'accept',
        status: 202,
        answer: { externalId: 'run-1', url: 'https://ci.example.com/runs/1' },
        callback: { status: 'succeeded', message: 'rolled out', afterMs: 300 },
      },
      id,
    );
    const detail = await finished(id);
    expect(detail.status).toBe('succeeded');
    expect(detail.driverExternalId).toBe('run-1');
    expect(detail.driverUrl).toBe('https://ci.example.com/runs/1');
    expect(target.starts(id)).toHaveLength(1);
    expect(target.callbacks.find((c) => c.deploymentId === id)).toMatchObject({ status: 200 });
    expect(detail.events.map((e) => e.actor)).toContain('webhook:127.0.0.1:' + new URL(target.url).port);

    const board = boardSchema.parse((await app.get('/api/v1/board')).body);
    const row = board.rows.find((r) => r.service.slug === stage.serviceSlug)!;
    const cell = Object.values(row.cells).find((c) => c.stageId === stage.stageId)!;
    expect(cell.current?.id).toBe(stage.releaseId);
    expect(cell.lastDeployment).toMatchObject({ id, status: 'succeeded' });
  });

  it('starts each deployment exactly once with two instances on one database', async () => {
    const second = await startTestApp({ db: app.db, env });
    try {
      const stages = await Promise.all(Array.from({ length: 20 }, () => webhookStage()));
      target.setBehaviour({ kind: 'accept', status: 202, callback: { status: 'succeeded', afterMs: 200 } });
      const ids = await Promise.all(stages.map((stage) => deploy(stage)));
      const details = await Promise.all(ids.map((id) => finished(id, 30_000)));
      expect(details.map((d) => d.status)).toEqual(ids.map(() => 'succeeded'));
      for (const id of ids) expect(target.starts(id), id).toHaveLength(1);
      // Each start names, as its callback URL, the address of the instance that made it.
      const origins = ids.map(
        (id) => new URL((target.starts(id)[0]!.json as { callbackUrl: string }).callbackUrl).origin,
      );
      expect(origins.every((origin) => origin === app.url || origin === second.url)).toBe(true);
    } finally {
      await second.close();
    }
  }, 60_000);
});
