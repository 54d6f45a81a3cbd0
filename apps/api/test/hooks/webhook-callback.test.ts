import { randomUUID } from 'node:crypto';
import { signFakeWebhookBody } from '@flightdeck/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../support/sql.js';
import { stageIds, startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
let stages: Record<string, string>;

const SECRET = 'the stage secret for callback tests';

beforeAll(async () => {
  // The runner stays off: deployments are planted by hand and only callbacks move them.
  app = await startTestApp({ env: { FLIGHTDECK_RUNNER: 'false' } });
  stages = await stageIds(app);
  for (const key of ['checkout-api/dev', 'web-storefront/dev', 'catalog-search/dev']) {
    const updated = await app.admin.patch(`/api/v1/stages/${stages[key]}`, {
      driver: { kind: 'webhook', config: { url: 'https://deploy.example.com/hooks', secret: SECRET } },
    });
    expect(updated.status).toBe(200);
  }
});

afterAll(async () => {
  await app?.close();
});

async function plantDeployment(stageId: string, status = 'running'): Promise<string> {
  const [row] = await sql(
    app.db.url,
    `INSERT INTO deployments (id, stage_id, release_id, kind, status, requested_by, updated_at, queued_at, started_at)
     SELECT gen_random_uuid(), s.id, r.id, 'promote', $2::"DeploymentStatus", 'test', now(), now(), now()
       FROM stages s JOIN releases r ON r.service_id = s.service_id
      WHERE s.id = $1 ORDER BY r.created_at DESC LIMIT 1
     RETURNING id`,
    [stageId, status],
  );
  return row!.id as string;
}

async function callback(deploymentId: string, body: string, signature?: string | null) {
  const response = await fetch(`${app.url}/api/v1/hooks/deployments/${deploymentId}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(signature === null
        ? {}
        : { 'x-flightdeck-signature': signature ?? signFakeWebhookBody(SECRET, body) }),
    },
    body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function statusOf(deploymentId: string) {
  const [row] = await sql(app.db.url, `SELECT status, error, driver_url FROM deployments WHERE id = $1`, [
    deploymentId,
  ]);
  return row!;
}

describe('POST /api/v1/hooks/deployments/{id}', () => {
  it('applies a signed report: failed ends the deployment, a later report is a conflict', async () => {
    const id = await plantDeployment(stages['checkout-api/dev']!);
    // Signed over the exact bytes, whitespace included.
    const body =
      '{ "status": "failed",  "message": "image pull failed", "url": "https://ci.example.com/runs/9" }';
    const answered = await callback(id, body);
    expect(answered).toEqual({ status: 200, body: { accepted: true, status: 'failed' } });
    expect(await statusOf(id)).toMatchObject({
      status: 'failed',
      error: 'image pull failed',
      driver_url: 'https://ci.example.com/runs/9',
    });
    const [event] = await sql(
      app.db.url,
      `SELECT actor, message FROM deployment_events WHERE deployment_id = $1 AND to_status = 'failed'`,
      [id],
    );
    expect(event).toMatchObject({ actor: 'webhook:deploy.example.com' });

    const late = await callback(id, JSON.stringify({ status: 'succeeded' }));
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ code: 'DEPLOYMENT_FINISHED' });
  });

  it('moves a queued deployment through running, and a success on to verification', async () => {
    const id = await plantDeployment(stages['web-storefront/dev']!, 'queued');
    const running = await callback(id, JSON.stringify({ status: 'running', message: 'rolling out' }));
    expect(running.body).toEqual({ accepted: true, status: 'running' });
    const done = await callback(id, JSON.stringify({ status: 'succeeded', message: 'all pods ready' }));
    expect(done.status).toBe(200);
    expect(['verifying', 'succeeded']).toContain(done.body.status);
    await sql(app.db.url, `UPDATE deployments SET status = 'cancelled', finished_at = now() WHERE id = $1`, [
      id,
    ]);
  });

  it('refuses unsigned and mis-signed reports with 401 and records the attempt', async () => {
    const id = await plantDeployment(stages['catalog-search/dev']!);
    const body = JSON.stringify({ status: 'succeeded', message: 'trust me' });
    const unsigned = await callback(id, body, null);
    expect(unsigned.status).toBe(401);
    expect(unsigned.body).toMatchObject({ code: 'INVALID_SIGNATURE' });
    expect((await callback(id, body, signFakeWebhookBody('not the stage secret!', body))).status).toBe(401);
    // Signed, but for other bytes.
    expect((await callback(id, body, signFakeWebhookBody(SECRET, `${body} `))).status).toBe(401);
    expect((await callback(id, body, 'sha256=00')).status).toBe(401);
    expect((await statusOf(id)).status).toBe('running');
    const denied = await sql(
      app.db.url,
      `SELECT outcome, reason FROM audit_events WHERE action = 'access.denied' AND target_id = $1`,
      [id],
    );
    expect(denied).toHaveLength(4);
    expect(denied[0]).toMatchObject({ outcome: 'denied' });

    // A signed report that does not follow the contract names the field.
    const bad = await callback(id, JSON.stringify({ status: 'exploded' }));
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'INVALID_BODY', details: { issues: [{ field: 'status' }] } });
    await sql(app.db.url, `UPDATE deployments SET status = 'cancelled', finished_at = now() WHERE id = $1`, [
      id,
    ]);
  });

  it('answers 404 for an unknown deployment and 401 for one on a stage without a webhook secret', async () => {
    const body = JSON.stringify({ status: 'succeeded' });
    const unknown = await callback(randomUUID(), body);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'DEPLOYMENT_NOT_FOUND' });
    const sandboxDeployment = await plantDeployment(stages['payments-service/dev']!);
    expect((await callback(sandboxDeployment, body)).status).toBe(401);
    await sql(app.db.url, `UPDATE deployments SET status = 'cancelled', finished_at = now() WHERE id = $1`, [
      sandboxDeployment,
    ]);
  });
});
