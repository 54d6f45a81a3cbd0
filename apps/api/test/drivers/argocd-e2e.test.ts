import { randomBytes, randomUUID } from 'node:crypto';
import { boardSchema, deploymentDetailSchema, type DeploymentDetail } from '@flightdeck/contracts';
import {
  ArgoCdContract,
  type FakeArgoAppOptions,
  type FakeArgoCd,
  startFakeArgoCd,
} from '@flightdeck/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { argoTokenAad } from '../../src/drivers/argocd/argocd-config.js';
import { SecretBox } from '../../src/secrets/secret-box.js';
import { sql } from '../support/sql.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const env = {
  FLIGHTDECK_SECRET_KEY: randomBytes(32).toString('base64'),
  FLIGHTDECK_RUNNER_INTERVAL_MS: '100',
};

let app: TestApp;
let argo: FakeArgoCd;

beforeAll(async () => {
  app = await startTestApp({ env });
  argo = await startFakeArgoCd();
});

afterAll(async () => {
  await argo?.close();
  await app?.close();
});

interface Release {
  readonly id: string;
  readonly version: string;
  readonly commitSha: string;
}

interface ArgoStage {
  readonly stageId: string;
  readonly serviceSlug: string;
  readonly application: string;
  readonly releases: Release[];
}

// A service of its own with one Argo CD stage in dev (no upstream, no gates), an application of the
// same name in the fake, and `releases` releases (v1.0.0, v1.1.0, …) to deploy.
async function argoStage(
  options: {
    config?: Record<string, unknown>;
    app?: Partial<FakeArgoAppOptions>;
    deadlineSeconds?: number;
    releases?: number;
    token?: string;
  } = {},
): Promise<ArgoStage> {
  const box = app.server.app.get(SecretBox);
  const serviceSlug = `argo-${randomUUID().slice(0, 8)}`;
  const stageId = randomUUID();
  const [service] = await sql(
    app.db.url,
    `INSERT INTO services (id, slug, name, updated_at) VALUES (gen_random_uuid(), $1, $1, now()) RETURNING id`,
    [serviceSlug],
  );
  const driverConfig = {
    serverUrl: argo.url,
    tokenSealed: box.seal(options.token ?? argo.token, argoTokenAad(stageId)),
    application: serviceSlug,
    project: 'default',
    appNamespace: null,
    mapping: { kind: 'revision', value: 'commitSha' },
    prune: false,
    syncOptions: [],
    timeoutSeconds: 2,
    pollIntervalSeconds: 1,
    ...options.config,
  };
  await sql(
    app.db.url,
    `INSERT INTO stages (id, service_id, environment_id, driver_kind, driver_config, deadline_seconds, updated_at)
     SELECT $1, $2, e.id, 'argocd', $3::jsonb, $4, now() FROM environments e WHERE e.slug = 'dev'`,
    [stageId, service!.id, JSON.stringify(driverConfig), options.deadlineSeconds ?? 60],
  );
  await sql(app.db.url, `INSERT INTO stage_states (stage_id, updated_at) VALUES ($1, now())`, [stageId]);
  const releases: Release[] = [];
  for (let i = 0; i < (options.releases ?? 1); i++) {
    const version = `v1.${i}.0`;
    const commitSha = randomBytes(20).toString('hex');
    const [row] = await sql(
      app.db.url,
      `INSERT INTO releases (id, service_id, version, commit_sha, artifact_ref, source, created_at)
       VALUES (gen_random_uuid(), $1, $2, $3, $4, 'api', now() + ($5 || ' seconds')::interval) RETURNING id`,
      [service!.id, version, commitSha, `registry.example.com/${serviceSlug}:${version}`, String(i)],
    );
    releases.push({ id: row!.id as string, version, commitSha });
  }
  argo.addApplication({ name: serviceSlug, ...options.app });
  return { stageId, serviceSlug, application: serviceSlug, releases };
}

async function deploy(stage: ArgoStage, release: Release): Promise<string> {
  const created = await app.admin.post<{ id: string; status: string }>('/api/v1/deployments', {
    stageId: stage.stageId,
    releaseId: release.id,
    reason: 'Argo CD end-to-end',
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

const messages = (detail: DeploymentDetail) => detail.events.map((event) => event.message);

describe('Argo CD deployments through the runner', () => {
  it('syncs to the release commit, follows the operation and health, and shows the stage healthy', async () => {
    const stage = await argoStage({ app: { history: [{ revision: 'v0.9.0' }] } });
    const release = stage.releases[0]!;
    const id = await deploy(stage, release);
    const detail = await finished(id);
    expect(detail.status, detail.error ?? '').toBe('succeeded');
    const syncs = argo.requestsFor(stage.application, 'sync');
    expect(syncs).toHaveLength(1);
    expect(syncs[0]!.authorization).toBe(`Bearer ${argo.token}`);
    expect(syncs[0]!.requestBody).toMatchObject({
      name: stage.application,
      project: 'default',
      revision: release.commitSha,
      prune: false,
      dryRun: false,
      infos: [{ name: 'flightdeck.deployment', value: id }],
    });
    expect(messages(detail)).toContain(
      `Argo CD sync of ${stage.application} to revision ${release.commitSha.slice(0, 7)} started`,
    );
    expect(detail.driverUrl).toBe(`${argo.url}/applications/${stage.application}`);
    const history = argo.app(stage.application).history;
    expect(history.at(-1)).toMatchObject({ id: 2, revision: release.commitSha });

    const board = boardSchema.parse((await app.get('/api/v1/board')).body);
    const row = board.rows.find((r) => r.service.slug === stage.serviceSlug)!;
    const cell = Object.values(row.cells).find((c) => c?.stageId === stage.stageId)!;
    expect(cell.current?.id).toBe(release.id);
    expect(cell.health).toBe('healthy');
  });

  it('writes an image tag into a Helm parameter before syncing, keeping the other parameters', async () => {
    const stage = await argoStage({
      config: { mapping: { kind: 'helmParameter', parameter: 'image.tag', value: 'version' } },
      app: {
        source: {
          repoURL: 'https://charts.example.com',
          path: 'chart',
          targetRevision: 'main',
          helm: { parameters: [{ name: 'replicas', value: '3' }] },
        },
      },
    });
    const id = await deploy(stage, stage.releases[0]!);
    const detail = await finished(id);
    expect(detail.status, detail.error ?? '').toBe('succeeded');
    const patch = argo.requestsFor(stage.application, '').find((r) => r.method === 'PATCH');
    expect(JSON.parse((patch!.requestBody as { patch: string }).patch)).toEqual({
      spec: {
        source: {
          helm: {
            parameters: [
              { name: 'replicas', value: '3' },
              { name: 'image.tag', value: 'v1.0.0' },
            ],
          },
        },
      },
    });
    expect(argo.requestsFor(stage.application, 'sync')[0]!.requestBody).not.toHaveProperty('revision');
  });

  it('rolls back by history id to a release that ran before', async () => {
    const stage = await argoStage({ releases: 2 });
    const [older, newer] = stage.releases as [Release, Release];
    expect((await finished(await deploy(stage, older))).status).toBe('succeeded');
    expect((await finished(await deploy(stage, newer))).status).toBe('succeeded');
    const olderEntry = argo.app(stage.application).history.find((h) => h.revision === older.commitSha)!;

    const id = await deploy(stage, older);
    const detail = await finished(id);
    expect(detail.kind).toBe('rollback');
    expect(detail.status, detail.error ?? '').toBe('succeeded');
    const rollbacks = argo.requestsFor(stage.application, 'rollback');
    expect(rollbacks).toHaveLength(1);
    expect(rollbacks[0]!.requestBody).toMatchObject({ id: olderEntry.id, prune: false, dryRun: false });
    expect(messages(detail)).toContain(
      `Rolling back ${stage.application} with Argo CD to history id ${olderEntry.id} (revision ${older.commitSha.slice(0, 7)})`,
    );
    expect(argo.app(stage.application).sync.revision).toBe(older.commitSha);
  });

  it('syncs to the revision instead when auto-sync is on, moving the target revision, and says so', async () => {
    const stage = await argoStage({ releases: 2 });
    const [older, newer] = stage.releases as [Release, Release];
    expect((await finished(await deploy(stage, older))).status).toBe('succeeded');
    expect((await finished(await deploy(stage, newer))).status).toBe('succeeded');
    argo.setAutoSync(stage.application, true);

    const id = await deploy(stage, older);
    const detail = await finished(id);
    expect(detail.kind).toBe('rollback');
    expect(detail.status, detail.error ?? '').toBe('succeeded');
    expect(argo.requestsFor(stage.application, 'rollback')).toHaveLength(0);
    const patch = argo.requestsFor(stage.application, '').find((r) => r.method === 'PATCH');
    expect(JSON.parse((patch!.requestBody as { patch: string }).patch)).toEqual({
      spec: { source: { targetRevision: older.commitSha } },
    });
    expect(argo.requestsFor(stage.application, 'sync').at(-1)!.requestBody).toMatchObject({
      revision: older.commitSha,
    });
    expect(messages(detail)).toContain(
      `Argo CD refuses rollback while auto-sync is on; syncing ${stage.application} to revision ${older.commitSha.slice(0, 7)} instead (target revision moved, as auto-sync is on)`,
    );
  });

  it('syncs to the revision when it is no longer in the history', async () => {
    const stage = await argoStage({ releases: 2 });
    const [older, newer] = stage.releases as [Release, Release];
    expect((await finished(await deploy(stage, older))).status).toBe('succeeded');
    expect((await finished(await deploy(stage, newer))).status).toBe('succeeded');
    // Argo keeps a limited history (revisionHistoryLimit).
    const a = argo.app(stage.application);
    a.history = a.history.filter((h) => h.revision !== older.commitSha);

    const detail = await finished(await deploy(stage, older));
    expect(detail.status, detail.error ?? '').toBe('succeeded');
    expect(argo.requestsFor(stage.application, 'rollback')).toHaveLength(0);
    expect(messages(detail)).toContain(
      `revision ${older.commitSha.slice(0, 7)} is no longer in the application's history; syncing ${stage.application} to revision ${older.commitSha.slice(0, 7)} instead`,
    );
  });
});

describe('Argo CD faults end in the right terminal state within the deadline', () => {
  it('retries 500s with backoff and fails with the reason before the deadline', async () => {
    const stage = await argoStage({ deadlineSeconds: 8 });
    argo.setFault(stage.application, { kind: 'error500', times: 1000 });
    const started = Date.now();
    const detail = await finished(await deploy(stage, stage.releases[0]!));
    expect(detail.status).toBe('failed');
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(detail.error).toMatch(
      /^Argo CD failed on all \d attempts before the stage's deadline; last: Argo CD answered 500/,
    );
    expect(messages(detail)).toContain(
      `Attempt 1 to start ${stage.application}: Argo CD answered 500: rpc error: code = Unavailable desc = connection refused; retrying in 1 s`,
    );
    argo.setFault(stage.application, null);
  });

  it('recovers from a few 500s', async () => {
    const stage = await argoStage();
    argo.setFault(stage.application, { kind: 'error500', times: 2 });
    const detail = await finished(await deploy(stage, stage.releases[0]!));
    expect(detail.status, detail.error ?? '').toBe('succeeded');
  });

  it('ends timed_out when Argo CD never answers', async () => {
    const stage = await argoStage({ deadlineSeconds: 6, config: { timeoutSeconds: 1 } });
    argo.setFault(stage.application, { kind: 'hang' });
    const detail = await finished(await deploy(stage, stage.releases[0]!));
    expect(detail.status).toBe('timed_out');
    expect(detail.error).toMatch(
      /Argo CD did not answer within 1 s on all \d attempts before the stage's deadline/,
    );
    argo.setFault(stage.application, null);
  });

  it('succeeds through slow answers within the timeout', async () => {
    const stage = await argoStage();
    argo.setFault(stage.application, { kind: 'slow', delayMs: 400 });
    const detail = await finished(await deploy(stage, stage.releases[0]!));
    expect(detail.status, detail.error ?? '').toBe('succeeded');
    argo.setFault(stage.application, null);
  });

  it('ends timed_out at the deadline when the operation stays Running, and terminates it', async () => {
    const stage = await argoStage({ deadlineSeconds: 3 });
    argo.setFault(stage.application, { kind: 'stuck' });
    const detail = await finished(await deploy(stage, stage.releases[0]!));
    expect(detail.status).toBe('timed_out');
    await argo.waitFor(() => argo.requestsFor(stage.application, 'operation').length > 0);
    expect(argo.requestsFor(stage.application, 'operation')[0]!.method).toBe('DELETE');
    await argo.waitFor(() => argo.app(stage.application).operationState?.phase === 'Failed');
    argo.setFault(stage.application, null);
  });

  it('waits out another operation already in progress, then syncs', async () => {
    const stage = await argoStage({ app: { history: [{ revision: 'v0.9.0' }] } });
    argo.startForeignOperation(stage.application, 1_500);
    const detail = await finished(await deploy(stage, stage.releases[0]!));
    expect(detail.status, detail.error ?? '').toBe('succeeded');
    expect(messages(detail)).toContain(
      `Waiting for Argo CD's current operation on ${stage.application} to finish (Running: one or more tasks are running)`,
    );
  });

  it('fails with Argo CD message when the sync fails', async () => {
    const stage = await argoStage();
    argo.setFault(stage.application, { kind: 'syncFails', message: 'one or more objects failed to apply' });
    const detail = await finished(await deploy(stage, stage.releases[0]!));
    expect(detail.status).toBe('failed');
    expect(detail.error).toBe(
      `Argo CD sync of ${stage.application} ended Failed: one or more objects failed to apply`,
    );
    argo.setFault(stage.application, null);
  });

  it('fails when the application ends Degraded', async () => {
    const stage = await argoStage({
      app: { healthAfterSync: 'Degraded', healthMessage: 'Deployment exceeded its progress deadline' },
    });
    const detail = await finished(await deploy(stage, stage.releases[0]!));
    expect(detail.status).toBe('failed');
    expect(detail.error).toBe(
      `Argo CD synced ${stage.application} but it is Degraded: Deployment exceeded its progress deadline`,
    );
  });

  it('waits while a sync window is closed, with Argo CD reason, and syncs once it opens', async () => {
    const stage = await argoStage({
      app: { windows: [{ kind: 'deny', schedule: '0 22 * * *', duration: '8h', active: true }] },
    });
    // The closed window is a gate with Argo CD's own reason, before anything starts.
    const preview = await app.get<{ gates: Array<{ kind: string; state: string; message: string }> }>(
      `/api/v1/stages/${stage.stageId}/preview?release=${stage.releases[0]!.id}`,
    );
    expect(preview.body.gates.filter((gate) => gate.kind === 'window').at(-1)).toEqual({
      kind: 'window',
      state: 'waiting',
      message: `Argo CD's sync windows do not allow syncing ${stage.application} now (blocked by sync window: deny window "0 22 * * *" for 8h is active)`,
      until: null,
    });
    const id = await deploy(stage, stage.releases[0]!);
    const waiting = `Waiting: Argo CD does not allow syncing ${stage.application} now (blocked by sync window: deny window "0 22 * * *" for 8h is active)`;
    const until = Date.now() + 10_000;
    for (;;) {
      const detail = deploymentDetailSchema.parse((await app.get(`/api/v1/deployments/${id}`)).body);
      if (messages(detail).includes(waiting)) break;
      if (Date.now() > until) throw new Error('no waiting message');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(argo.requestsFor(stage.application, 'sync')).toHaveLength(0);
    argo.setWindows(stage.application, []);
    const detail = await finished(id);
    expect(detail.status, detail.error ?? '').toBe('succeeded');
  });

  it('fails at once on a rejected token, naming it', async () => {
    const stage = await argoStage({ token: 'not the token' });
    const detail = await finished(await deploy(stage, stage.releases[0]!));
    expect(detail.status).toBe('failed');
    expect(detail.error).toBe(
      "Argo CD rejected the stage's token (401: invalid session: token signature is invalid); set a valid token in the stage settings",
    );
  });

  it('fails at once when the token may not act on the project, naming the permission', async () => {
    const stage = await argoStage({ config: { project: 'payments' } });
    const detail = await finished(await deploy(stage, stage.releases[0]!));
    expect(detail.status).toBe('failed');
    expect(detail.error).toContain(`The Argo CD token may not get application ${stage.application}`);
    expect(detail.error).toContain(`"applications, get, payments/${stage.application}"`);
  });

  it('fails at once when the application does not exist', async () => {
    const stage = await argoStage({ config: { application: 'nowhere' } });
    const detail = await finished(await deploy(stage, stage.releases[0]!));
    expect(detail.status).toBe('failed');
    expect(detail.error).toMatch(/^Argo CD has no application nowhere \(404/);
  });

  it('sent only requests, and got only answers, that follow the Argo CD contract', () => {
    const contract = new ArgoCdContract();
    const answered = argo.requests.filter((r) => r.status !== 0);
    expect(answered.length).toBeGreaterThan(50);
    const problems = answered.flatMap((r) => contract.check(r));
    expect(problems).toEqual([]);
  });
});
