import { randomUUID } from 'node:crypto';
import { stageDetailSchema } from '@flightdeck/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookSecretAad } from '../../src/drivers/webhook/webhook-config.js';
import { SecretBox } from '../../src/secrets/secret-box.js';
import { sql } from '../support/sql.js';
import { openEventStream } from '../support/sse.js';
import { stageIds, startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
let stages: Record<string, string>;

const SECRET = 'the stage secret for update tests';

beforeAll(async () => {
  // The runner stays off: these tests plant deployments by hand and nothing should drive them.
  app = await startTestApp({ env: { FLIGHTDECK_RUNNER: 'false' } });
  stages = await stageIds(app);
});

afterAll(async () => {
  await app?.close();
});

type Issues = { code: string; details: { issues: { field: string; message: string }[] } };

function webhook(config: Record<string, unknown> = {}) {
  return {
    driver: { kind: 'webhook', config: { url: 'https://deploy.example.com/hooks/flightdeck', ...config } },
  };
}

async function storedConfig(stageId: string): Promise<Record<string, unknown>> {
  const [row] = await sql(app.db.url, `SELECT driver_config FROM stages WHERE id = $1`, [stageId]);
  return row!.driver_config as Record<string, unknown>;
}

async function plantDeployment(stageId: string, status: string): Promise<string> {
  const [row] = await sql(
    app.db.url,
    `INSERT INTO deployments (id, stage_id, release_id, kind, status, requested_by, updated_at, queued_at)
     SELECT gen_random_uuid(), s.id, r.id, 'promote', $2::"DeploymentStatus", 'test', now(), now()
       FROM stages s JOIN releases r ON r.service_id = s.service_id
      WHERE s.id = $1 ORDER BY r.created_at DESC LIMIT 1
     RETURNING id`,
    [stageId, status],
  );
  return row!.id as string;
}

describe('GET /api/v1/stages/{id}', () => {
  it("shows a stage's driver settings", async () => {
    const id = stages['checkout-api/staging']!;
    const { status, body } = await app.get(`/api/v1/stages/${id}`);
    expect(status).toBe(200);
    const stage = stageDetailSchema.parse(body);
    expect(stage).toMatchObject({
      id,
      serviceSlug: 'checkout-api',
      environmentSlug: 'staging',
      driverKind: 'sandbox',
    });
    expect(stage.driverConfig).toMatchObject({ durationSeconds: 20, health: 'healthy' });
  });

  it('answers 404 for an unknown stage and 400 for a malformed id', async () => {
    expect((await app.get(`/api/v1/stages/${randomUUID()}`)).body).toMatchObject({ code: 'STAGE_NOT_FOUND' });
    expect((await app.get('/api/v1/stages/nope')).status).toBe(400);
  });
});

describe('PATCH /api/v1/stages/{id}', () => {
  it('switches a stage to webhook, seals the secret and never shows it again', async () => {
    const id = stages['checkout-api/dev']!;
    const updated = await app.admin.patch(
      `/api/v1/stages/${id}`,
      webhook({ secret: SECRET, maxAttempts: 4 }),
    );
    expect(updated.status).toBe(200);
    expect(stageDetailSchema.parse(updated.body)).toMatchObject({
      driverKind: 'webhook',
      driverConfig: {
        url: 'https://deploy.example.com/hooks/flightdeck',
        statusUrl: null,
        timeoutSeconds: 10,
        maxAttempts: 4,
        pollIntervalSeconds: 5,
        secretSet: true,
      },
    });
    expect(JSON.stringify(updated.body)).not.toContain(SECRET);
    expect(JSON.stringify(updated.body)).not.toContain('secretSealed');
    const read = await app.get(`/api/v1/stages/${id}`);
    expect(JSON.stringify(read.body)).not.toContain(SECRET);
    expect(read.body).toMatchObject({ driverConfig: { secretSet: true } });

    // At rest: sealed to this stage under the app's key.
    const stored = await storedConfig(id);
    expect(stored.secretSealed).toMatch(/^v1:/);
    expect(JSON.stringify(stored)).not.toContain(SECRET);
    const box = app.server.app.get(SecretBox);
    expect(box.open(stored.secretSealed as string, webhookSecretAad(id))).toBe(SECRET);

    // Audited, redacted.
    const [event] = await sql(
      app.db.url,
      `SELECT actor_name, before, after FROM audit_events WHERE action = 'stage.update' AND target_id = $1
        ORDER BY id DESC LIMIT 1`,
      [id],
    );
    expect(event).toMatchObject({
      actor_name: 'admin@flightdeck.test',
      before: { driverKind: 'sandbox' },
      after: { driverKind: 'webhook', driverConfig: { secretSet: true } },
    });
    expect(JSON.stringify(event)).not.toContain(SECRET);
    expect(JSON.stringify(event)).not.toContain(stored.secretSealed as string);
    expect(app.logs.join('\n')).not.toContain(SECRET);
  });

  it('keeps the stored secret when settings change without one, and rotates it when given', async () => {
    const id = stages['web-storefront/dev']!;
    expect((await app.admin.patch(`/api/v1/stages/${id}`, webhook({ secret: SECRET }))).status).toBe(200);
    const sealed = (await storedConfig(id)).secretSealed;

    const retuned = await app.admin.patch(`/api/v1/stages/${id}`, webhook({ timeoutSeconds: 3 }));
    expect(retuned.status).toBe(200);
    expect(retuned.body).toMatchObject({ driverConfig: { timeoutSeconds: 3, secretSet: true } });
    expect((await storedConfig(id)).secretSealed).toBe(sealed);

    const rotated = await app.admin.patch(
      `/api/v1/stages/${id}`,
      webhook({ secret: 'a brand new secret value' }),
    );
    expect(rotated.status).toBe(200);
    expect((await storedConfig(id)).secretSealed).not.toBe(sealed);

    // Back to sandbox drops the secret; going webhook again needs a new one.
    const sandbox = await app.admin.patch(`/api/v1/stages/${id}`, { driver: { kind: 'sandbox' } });
    expect(sandbox.body).toMatchObject({ driverKind: 'sandbox', driverConfig: { durationSeconds: 20 } });
    expect((await app.admin.patch(`/api/v1/stages/${id}`, webhook())).body).toMatchObject({
      code: 'WEBHOOK_SECRET_REQUIRED',
    });
  });

  it('names what is wrong with the settings', async () => {
    const id = stages['catalog-search/dev']!;
    const field = async (body: unknown) => {
      const response = await app.admin.patch<Issues>(`/api/v1/stages/${id}`, body);
      expect(response.status).toBe(400);
      return { code: response.body.code, field: response.body.details.issues[0]!.field };
    };
    expect(await field(webhook())).toEqual({
      code: 'WEBHOOK_SECRET_REQUIRED',
      field: 'driver.config.secret',
    });
    expect(await field(webhook({ url: 'ftp://deploy.example.com', secret: SECRET }))).toEqual({
      code: 'INVALID_BODY',
      field: 'driver.config.url',
    });
    expect(await field(webhook({ secret: 'short' }))).toEqual({
      code: 'INVALID_BODY',
      field: 'driver.config.secret',
    });
    expect(await field(webhook({ secret: SECRET, maxAttempts: 0 }))).toEqual({
      code: 'INVALID_BODY',
      field: 'driver.config.maxAttempts',
    });
    expect(await field({ deadlineSeconds: 5 })).toEqual({ code: 'INVALID_BODY', field: 'deadlineSeconds' });
    expect(await field({ driver: { kind: 'argocd', config: {} } })).toMatchObject({ code: 'INVALID_BODY' });
    expect(await field({})).toMatchObject({ code: 'INVALID_BODY' });
    // Nothing was written.
    expect((await app.get(`/api/v1/stages/${id}`)).body).toMatchObject({ driverKind: 'sandbox' });
  });

  it('changes soak and deadline, and publishes nothing when nothing changed', async () => {
    const id = stages['catalog-search/staging']!;
    const stream = await openEventStream(app.admin);
    const changed = await app.admin.patch(`/api/v1/stages/${id}`, { soakSeconds: 120, deadlineSeconds: 600 });
    expect(changed.body).toMatchObject({ soakSeconds: 120, deadlineSeconds: 600 });
    const event = await stream.next((m) => m.event === 'stage.updated' && m.data.includes(id));
    expect(JSON.parse(event.data)).toMatchObject({
      type: 'stage.updated',
      stageId: id,
      serviceSlug: 'catalog-search',
      environmentSlug: 'staging',
    });
    stream.close();
    const count = async () =>
      (
        await sql(
          app.db.url,
          `SELECT count(*)::int AS n FROM audit_events WHERE action = 'stage.update' AND target_id = $1`,
          [id],
        )
      )[0]!.n;
    const before = await count();
    expect((await app.admin.patch(`/api/v1/stages/${id}`, { soakSeconds: 120 })).status).toBe(200);
    expect(await count()).toBe(before);
  });

  it("lets only the owning team's members and admins change a stage", async () => {
    const checkout = stages['checkout-api/preview']!;
    const payments = stages['payments-service/dev']!;
    expect((await app.anonymous.patch(`/api/v1/stages/${checkout}`, { soakSeconds: 60 })).status).toBe(401);
    const viewer = await app.userWith('viewer');
    expect((await viewer.patch(`/api/v1/stages/${checkout}`, { soakSeconds: 60 })).status).toBe(403);

    const commerce = await app.userWith('viewer', { teams: [{ slug: 'commerce', role: 'deployer' }] });
    expect((await commerce.patch(`/api/v1/stages/${checkout}`, { soakSeconds: 60 })).status).toBe(200);
    const refused = await commerce.patch(`/api/v1/stages/${payments}`, webhook({ secret: SECRET }));
    expect(refused.status).toBe(403);
    expect((await app.get(`/api/v1/stages/${payments}`)).body).toMatchObject({ driverKind: 'sandbox' });
    const [denied] = await sql(
      app.db.url,
      `SELECT reason FROM audit_events WHERE action = 'access.denied' AND target_id = $1`,
      [payments],
    );
    expect(denied!.reason).toMatch(/catalog:write/);
    expect((await app.admin.patch(`/api/v1/stages/${randomUUID()}`, { soakSeconds: 60 })).status).toBe(404);
  });

  it('refuses to change the driver while a deployment of the stage is under way', async () => {
    const id = stages['identity-gateway/dev'] ?? stages['web-storefront/staging']!;
    const deploymentId = await plantDeployment(id, 'running');
    try {
      const busy = await app.admin.patch(`/api/v1/stages/${id}`, webhook({ secret: SECRET }));
      expect(busy.status).toBe(409);
      expect(busy.body).toMatchObject({ code: 'STAGE_BUSY', details: { deploymentId, status: 'running' } });
      // Other settings may change meanwhile.
      expect((await app.admin.patch(`/api/v1/stages/${id}`, { soakSeconds: 30 })).status).toBe(200);
    } finally {
      await sql(
        app.db.url,
        `UPDATE deployments SET status = 'cancelled', finished_at = now() WHERE id = $1`,
        [deploymentId],
      );
    }
    expect((await app.admin.patch(`/api/v1/stages/${id}`, webhook({ secret: SECRET }))).status).toBe(200);
  });
});
