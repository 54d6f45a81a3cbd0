import {
  createTestDatabase,
  startFakeWebhookTarget,
  type TestDatabase,
  startTcpProxy,
  type FakeWebhookTarget,
  type TcpProxy,
} from '@flightdeck/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../support/http-client.js';
import { openEventStream } from '../support/sse.js';
import { sql } from '../support/sql.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../support/test-app.js';
import { Fleet, stackTraces, waitFor, type FlightdeckProcess } from './support/processes.js';
import {
  allTerminal,
  requestDeployment,
  runningTransitions,
  statusesOf,
  WEBHOOK_SECRET,
  webhookStages,
} from './support/stages.js';

// "Postgres restarted under load", simulated without touching the machine's shared Postgres server:
// the app reaches the database through a TCP proxy on loopback, which cuts every open connection and
// refuses new ones for a while, then accepts them again, as a restarting server would.
const BEFORE = 8;
const AFTER = 8;

let db: TestDatabase;
let proxy: TcpProxy;
let target: FakeWebhookTarget;
let fleet: Fleet;

beforeAll(async () => {
  db = await createTestDatabase();
  const { hostname, port } = new URL(db.url);
  proxy = await startTcpProxy({ host: hostname, port: Number(port) });
  target = await startFakeWebhookTarget({ secret: WEBHOOK_SECRET });
  fleet = new Fleet(proxy.rewrite(db.url));
});

afterAll(async () => {
  await fleet?.stop();
  await target?.close();
  await proxy?.close();
  await db?.drop();
});

const readiness = (app: FlightdeckProcess) =>
  fetch(`${app.url}/health/ready`).then(
    (response) => response.status,
    () => 0,
  );

describe('a Postgres restart under load', () => {
  it('turns readiness red, answers without stack traces, then resumes every deployment once', async () => {
    const app = await fleet.start();
    const client = new HttpClient(app.url);
    await client.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
    const stages = await webhookStages(db.url, fleet.secretKey, target, BEFORE + AFTER);

    // In flight when the database goes away: started at the target, reporting "running".
    const before: string[] = [];
    for (const stage of stages.slice(0, BEFORE)) before.push(await requestDeployment(client, stage));
    await waitFor('every deployment started at the target', () =>
      before.every((id) => target.starts(id).length === 1),
    );
    await waitFor('every start recorded', async () => {
      const statuses = await statusesOf(db.url, before);
      return before.every((id) => statuses.get(id) === 'running');
    });

    // A browser that stays connected across the outage keeps getting events afterwards: the
    // process's LISTEN connection comes back by itself.
    const stream = await openEventStream(client);
    await proxy.outage();
    await waitFor('readiness red', async () => (await readiness(app)) === 503, 10_000);
    // Requests that need the database fail cleanly while it is away.
    const board = await client.get<Record<string, unknown>>('/api/v1/board');
    expect(board.status).toBe(503);
    expect(board.body).toEqual({
      code: 'DATABASE_UNAVAILABLE',
      message: 'The database is not reachable; try again shortly',
    });
    const refused = await client.post<Record<string, unknown>>('/api/v1/deployments', {
      stageId: stages[BEFORE]!.stageId,
      releaseId: stages[BEFORE]!.releaseId,
      reason: 'while the database is away',
    });
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
    // The targets finish while Flightdeck cannot record it; it has to find out afterwards.
    for (const id of before) target.setStatus(id, { status: 'succeeded', message: 'rolled out' });
    // Down until every lease has expired (checked directly, past the proxy) and passes have failed.
    await waitFor('leases expired', async () => {
      const [row] = await sql(
        db.url,
        `SELECT count(*)::int AS held FROM deployments WHERE id = ANY($1::uuid[]) AND lease_expires_at > now()`,
        [before],
      );
      return row!.held === 0;
    });
    expect(app.child.exitCode).toBeNull();

    await proxy.restore();
    await waitFor('readiness green again', async () => (await readiness(app)) === 200, 20_000);
    const after: string[] = [];
    for (const stage of stages.slice(BEFORE)) {
      const id = await requestDeployment(client, stage);
      target.setStatus(id, { status: 'succeeded' });
      after.push(id);
    }
    await stream.next((message) => after.some((id) => message.data.includes(id)), 20_000);
    stream.close();
    const ids = [...before, ...after];
    await waitFor('every deployment terminal', () => allTerminal(db.url, ids), 40_000, 250);

    const statuses = await statusesOf(db.url, ids);
    expect(ids.map((id) => statuses.get(id))).toEqual(ids.map(() => 'succeeded'));
    for (const id of ids) expect(target.starts(id), id).toHaveLength(1);
    const runs = await runningTransitions(db.url, ids);
    expect(ids.map((id) => runs.get(id))).toEqual(ids.map(() => 1));
    expect(app.child.exitCode).toBeNull();
    expect(stackTraces(app.output)).toEqual([]);
  }, 90_000);
});
