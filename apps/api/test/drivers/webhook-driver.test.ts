import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { type FakeWebhookTarget, startFakeWebhookTarget } from '@flightdeck/test-kit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DriverContext, DriverStep, JsonObject } from '../../src/drivers/driver.js';
import { webhookSecretAad } from '../../src/drivers/webhook/webhook-config.js';
import { WebhookDriver } from '../../src/drivers/webhook/webhook.driver.js';
import { SecretBox } from '../../src/secrets/secret-box.js';

const SECRET = 'a webhook secret for the driver tests';
const box = new SecretBox(randomBytes(32));
const driver = new WebhookDriver(box, {
  host: '127.0.0.1',
  http: { publicUrl: 'https://flightdeck.example.com', trustProxy: false },
});

let target: FakeWebhookTarget;

beforeEach(async () => {
  target = await startFakeWebhookTarget({ secret: SECRET });
});

afterEach(async () => {
  await target.close();
});

interface Setup {
  readonly deploymentId: string;
  readonly stageId: string;
  readonly config: Record<string, unknown>;
}

function stage(config: Record<string, unknown> = {}): Setup {
  const stageId = randomUUID();
  return {
    deploymentId: randomUUID(),
    stageId,
    config: {
      url: target.deployUrl,
      secretSealed: box.seal(SECRET, webhookSecretAad(stageId)),
      statusUrl: null,
      timeoutSeconds: 5,
      maxAttempts: 3,
      pollIntervalSeconds: 5,
      ...config,
    },
  };
}

function context(
  setup: Setup,
  step: { started?: boolean; state?: JsonObject | null; signal?: AbortSignal } = {},
): DriverContext {
  return {
    deployment: {
      id: setup.deploymentId,
      kind: 'promote',
      requestedBy: 'dana@flightdeck.test',
      reason: 'Ship the new checkout',
      deadlineAt: null,
    },
    stage: {
      id: setup.stageId,
      serviceSlug: 'checkout-api',
      environmentSlug: 'staging',
      driverKind: 'webhook',
      driverConfig: setup.config,
    },
    release: {
      id: randomUUID(),
      version: 'v1.4.2',
      commitSha: 'a'.repeat(40),
      artifactRef: 'registry.example.com/checkout-api:v1.4.2',
      notes: '',
    },
    started: step.started ?? false,
    state: step.state ?? null,
    now: new Date(),
    signal: step.signal ?? new AbortController().signal,
  };
}

// Calls start as the runner would: again with the state it returned, until it stops saying "retry".
async function startUntilSettled(setup: Setup): Promise<{ steps: DriverStep[]; waits: number[] }> {
  const steps: DriverStep[] = [];
  const waits: number[] = [];
  let state: JsonObject | null = null;
  for (let i = 0; i < 12; i++) {
    const ctx = context(setup, { state });
    const step = await driver.start(ctx);
    steps.push(step);
    if (step.outcome !== 'progress' || step.started) break;
    waits.push(Math.round((step.nextRunAt.getTime() - Date.now()) / 1000));
    state = step.state;
  }
  return { steps, waits };
}

describe('webhook driver: start', () => {
  it('POSTs the signed payload and is started by a 2xx, keeping what the target answered', async () => {
    target.setBehaviour({
      kind: 'accept',
      status: 202,
      answer: { externalId: 'run-42', url: 'https://ci.example.com/runs/42', message: 'queued in CI' },
    });
    const setup = stage();
    const step = await driver.start(context(setup));
    expect(step).toMatchObject({
      outcome: 'progress',
      started: true,
      externalId: 'run-42',
      url: 'https://ci.example.com/runs/42',
      message: 'Webhook target accepted the deployment (202): queued in CI',
    });
    if (step.outcome !== 'progress') throw new Error('unreachable');
    expect(step.nextRunAt.getTime() - Date.now()).toBeGreaterThan(3_000);

    const [request] = target.starts(setup.deploymentId);
    expect(request).toBeDefined();
    expect(request!.signatureValid).toBe(true);
    expect(request!.method).toBe('POST');
    expect(request!.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'Flightdeck',
      'x-flightdeck-event': 'deployment.start',
      'x-flightdeck-delivery': setup.deploymentId,
      'idempotency-key': setup.deploymentId,
    });
    expect(request!.headers['x-flightdeck-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(request!.json).toMatchObject({
      event: 'deployment.start',
      deploymentId: setup.deploymentId,
      attempt: 1,
      service: 'checkout-api',
      environment: 'staging',
      kind: 'promote',
      release: {
        version: 'v1.4.2',
        commitSha: 'a'.repeat(40),
        artifactRef: 'registry.example.com/checkout-api:v1.4.2',
      },
      requestedBy: 'dana@flightdeck.test',
      reason: 'Ship the new checkout',
      callbackUrl: `https://flightdeck.example.com/api/v1/hooks/deployments/${setup.deploymentId}`,
    });
    expect(Date.parse((request!.json as { sentAt: string }).sentAt)).not.toBeNaN();
    // The secret travels as neither header nor body.
    expect(JSON.stringify(request)).not.toContain(SECRET);
  });

  it('finishes at once when the answer already says succeeded or failed', async () => {
    const done = stage();
    target.setBehaviour(
      {
        kind: 'accept',
        status: 200,
        answer: { status: 'succeeded', message: 'rolled out', url: 'https://x.example/1' },
      },
      done.deploymentId,
    );
    expect(await driver.start(context(done))).toMatchObject({
      outcome: 'succeeded',
      message: 'rolled out',
      url: 'https://x.example/1',
    });
    const broken = stage();
    target.setBehaviour(
      { kind: 'accept', status: 200, answer: { status: 'failed', message: 'image not found' } },
      broken.deploymentId,
    );
    expect(await driver.start(context(broken))).toMatchObject({
      outcome: 'failed',
      message: 'Webhook target reported failure: image not found',
    });
  });

  it('retries 5xx with growing backoff and fails with the reason after maxAttempts', async () => {
    target.setBehaviour({ kind: 'fail', times: 10, status: 500, body: 'database is down' });
    const setup = stage({ maxAttempts: 3 });
    const { steps, waits } = await startUntilSettled(setup);
    expect(steps.map((s) => s.outcome)).toEqual(['progress', 'progress', 'failed']);
    expect(waits).toEqual([1, 2]);
    expect(steps[0]).toMatchObject({
      started: false,
      message: 'Attempt 1 of 3: target answered 500 (database is down); retrying in 1 s',
      state: { attempts: 1, lastError: 'target answered 500 (database is down)' },
    });
    expect(steps[1]).toMatchObject({
      message: 'Attempt 2 of 3: target answered 500 (database is down); retrying in 2 s',
    });
    expect(steps[2]).toMatchObject({
      outcome: 'failed',
      message: 'Webhook target answered 500 on all 3 attempts: database is down',
    });
    const starts = target.starts(setup.deploymentId);
    expect(starts).toHaveLength(3);
    expect(starts.map((r) => (r.json as { attempt: number }).attempt)).toEqual([1, 2, 3]);
    expect(starts.every((r) => r.signatureValid && r.headers['idempotency-key'] === setup.deploymentId)).toBe(
      true,
    );
  });

  it('starts after 500 twice, and honours Retry-After on 429', async () => {
    const flaky = stage();
    target.setBehaviour(
      { kind: 'fail', times: 2, status: 503, then: { kind: 'accept' } },
      flaky.deploymentId,
    );
    const { steps } = await startUntilSettled(flaky);
    expect(steps.map((s) => s.outcome)).toEqual(['progress', 'progress', 'progress']);
    expect(steps[2]).toMatchObject({ started: true, state: { attempts: 3, lastError: null } });

    const limited = stage();
    target.setBehaviour(
      { kind: 'fail', times: 1, status: 429, retryAfter: '7', body: 'slow down' },
      limited.deploymentId,
    );
    const step = await driver.start(context(limited));
    expect(step).toMatchObject({
      outcome: 'progress',
      started: false,
      message: 'Attempt 1 of 3: target answered 429 (slow down); retrying in 7 s',
    });
    if (step.outcome !== 'progress') throw new Error('unreachable');
    expect(Math.round((step.nextRunAt.getTime() - Date.now()) / 1000)).toBe(7);
  });

  it('ends timed_out when the target never answers on any attempt', async () => {
    target.setBehaviour({ kind: 'hang' });
    const setup = stage({ timeoutSeconds: 1, maxAttempts: 2 });
    const started = Date.now();
    const { steps } = await startUntilSettled(setup);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(steps[0]).toMatchObject({
      outcome: 'progress',
      started: false,
      message: 'Attempt 1 of 2: target did not answer within 1 s; retrying in 1 s',
    });
    expect(steps[1]).toMatchObject({
      outcome: 'timed_out',
      message: 'Webhook target did not answer within 1 s on any of 2 attempts',
    });
    expect(target.starts(setup.deploymentId)).toHaveLength(2);
  });

  it('fails at once on another 4xx, naming the status', async () => {
    target.setBehaviour({ kind: 'reject', status: 400, body: 'unknown service "checkout-api"' });
    const setup = stage();
    const { steps } = await startUntilSettled(setup);
    expect(steps).toHaveLength(1);
    expect(steps[0]).toMatchObject({
      outcome: 'failed',
      message: 'Webhook target refused the deployment: it answered 400 (unknown service "checkout-api")',
    });
    expect(target.starts(setup.deploymentId)).toHaveLength(1);
  });

  it('retries when the target cannot be reached, and says why when it gives up', async () => {
    const port = await closedPort();
    const setup = stage({ url: `http://127.0.0.1:${port}/deploy`, maxAttempts: 2 });
    const { steps } = await startUntilSettled(setup);
    expect(steps[0]).toMatchObject({ outcome: 'progress', started: false });
    expect((steps[0] as { message: string }).message).toMatch(
      /^Attempt 1 of 2: could not reach the target \(ECONNREFUSED\); retrying in 1 s$/,
    );
    expect(steps[1]).toMatchObject({
      outcome: 'failed',
      message: 'Webhook target failed on all 2 attempts; last: could not reach the target (ECONNREFUSED)',
    });
  });

  it('never echoes the secret or the signature from what a target answers', async () => {
    target.setBehaviour({ kind: 'reject', status: 401, body: `bad signature, expected key ${SECRET}` });
    const setup = stage();
    const step = await driver.start(context(setup));
    const signature = target.starts(setup.deploymentId)[0]!.headers['x-flightdeck-signature']!;
    expect(JSON.stringify(step)).not.toContain(SECRET);
    expect(JSON.stringify(step)).toContain('[redacted]');

    const echo = stage();
    target.setBehaviour({ kind: 'fail', times: 1, status: 500, body: `got ${signature}` }, echo.deploymentId);
    const retried = await driver.start(context(echo));
    const echoed = target.starts(echo.deploymentId)[0]!.headers['x-flightdeck-signature']!;
    expect(JSON.stringify(retried)).not.toContain(echoed.slice('sha256='.length));
  });

  it('does not count an attempt when the process shuts down mid-call', async () => {
    target.setBehaviour({ kind: 'hang' });
    const setup = stage({ timeoutSeconds: 10 });
    const shutdown = new AbortController();
    const pending = driver.start(context(setup, { signal: shutdown.signal }));
    await target.waitFor(() => target.starts(setup.deploymentId).length === 1);
    shutdown.abort();
    const step = await pending;
    expect(step).toMatchObject({ outcome: 'progress', started: false, state: { attempts: 0 } });
  });

  it('fails with a plain reason when the stage has no usable secret', async () => {
    const setup = stage({ secretSealed: null });
    expect(await driver.start(context(setup))).toMatchObject({
      outcome: 'failed',
      message: 'The webhook stage has no secret; set one in the stage settings',
    });
    // Sealed for another stage: the associated data does not match.
    const moved = stage({ secretSealed: box.seal(SECRET, webhookSecretAad(randomUUID())) });
    expect(await driver.start(context(moved))).toMatchObject({ outcome: 'failed' });
    expect(target.requests).toHaveLength(0);
  });
});

describe('webhook driver: poll and cancel', () => {
  it('without a status URL, waits for the callback', async () => {
    const setup = stage({ pollIntervalSeconds: 30 });
    const step = await driver.poll(context(setup, { started: true, state: { attempts: 1 } }));
    expect(step).toMatchObject({ outcome: 'progress', started: true });
    if (step.outcome !== 'progress') throw new Error('unreachable');
    expect(Math.round((step.nextRunAt.getTime() - Date.now()) / 1000)).toBe(30);
    expect(step.message).toBeUndefined();
    expect(target.requests).toHaveLength(0);
  });

  it('polls a signed status URL, reports changes once, rides out errors and maps the outcome', async () => {
    const setup = stage({ statusUrl: `${target.url}/status/{deploymentId}?run={externalId}` });
    target.setBehaviour({ kind: 'accept', answer: { externalId: 'run 7' } });
    const accepted = await driver.start(context(setup));
    expect(accepted).toMatchObject({ outcome: 'progress', started: true, externalId: 'run 7' });
    let state = accepted.state;

    target.setStatus(setup.deploymentId, { status: 'running', message: 'rolling out 2/5 pods' });
    const first = await driver.poll(context(setup, { started: true, state }));
    expect(first).toMatchObject({
      outcome: 'progress',
      message: 'Webhook target reports running: rolling out 2/5 pods',
    });
    state = first.state;
    const same = await driver.poll(context(setup, { started: true, state }));
    expect(same).toMatchObject({ outcome: 'progress' });
    expect((same as { message?: string }).message).toBeUndefined();
    state = same.state;

    target.setStatus(setup.deploymentId, { httpStatus: 503, body: 'restarting' });
    const failing = await driver.poll(context(setup, { started: true, state }));
    expect(failing).toMatchObject({
      outcome: 'progress',
      started: true,
      message: 'Status check failed: the status URL answered 503 (restarting); checking again every 5 s',
    });
    state = failing.state;

    target.setStatus(setup.deploymentId, {
      status: 'succeeded',
      message: 'all pods ready',
      url: 'https://ci.example.com/runs/7',
    });
    expect(await driver.poll(context(setup, { started: true, state }))).toMatchObject({
      outcome: 'succeeded',
      message: 'all pods ready',
      url: 'https://ci.example.com/runs/7',
      externalId: 'run 7',
    });

    const polls = target.requests.filter((r) => r.method === 'GET');
    expect(polls).toHaveLength(4);
    expect(polls.every((r) => r.signatureValid && r.rawBody.length === 0)).toBe(true);
    expect(polls[0]!.path).toBe(`/status/${setup.deploymentId}`);
    expect(polls[0]!.headers['x-flightdeck-event']).toBe('deployment.status');

    const broken = stage({ statusUrl: target.statusUrl });
    target.setStatus(broken.deploymentId, { status: 'failed', message: 'health check failed' });
    expect(await driver.poll(context(broken, { started: true, state: { attempts: 1 } }))).toMatchObject({
      outcome: 'failed',
      message: 'Webhook target reported failure: health check failed',
    });
  });

  it('asks the target to cancel, signed, and shrugs off a target that is gone', async () => {
    const setup = stage();
    await driver.cancel(context(setup, { started: true, state: { attempts: 1 } }));
    const cancel = target.requests.find((r) => r.event === 'deployment.cancel');
    expect(cancel).toMatchObject({
      signatureValid: true,
      json: { event: 'deployment.cancel', deploymentId: setup.deploymentId },
    });

    const gone = stage({ url: `http://127.0.0.1:${await closedPort()}/deploy` });
    await expect(
      driver.cancel(context(gone, { started: true, state: { attempts: 1 } })),
    ).resolves.toBeUndefined();
  });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
