import { liveEventSchema } from '@flightdeck/contracts';
import {
  BACKEND_HEADER,
  createTestDatabase,
  startFakeWebhookTarget,
  startRoundRobinProxy,
  type FakeWebhookTarget,
  type RoundRobinProxy,
  type TestDatabase,
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

// Three Flightdeck processes on one database behind a round-robin load balancer, as in production.
const REPLICAS = 3;
const DEPLOYMENTS = 24;
const OVERDUE = 6;

let db: TestDatabase;
let target: FakeWebhookTarget;
let fleet: Fleet;
let replicas: FlightdeckProcess[];
let lb: RoundRobinProxy;
let client: HttpClient;

beforeAll(async () => {
  db = await createTestDatabase();
  target = await startFakeWebhookTarget({ secret: WEBHOOK_SECRET });
  fleet = new Fleet(db.url);
  // Leases as long as production's default: no process is killed here, and a lease that runs out while
  // a slow machine is still recording a start would let another replica start it again.
  const env = { FLIGHTDECK_RUNNER_LEASE_SECONDS: '30' };
  // The first one seeds the demo data; the others find it there.
  const first = await fleet.start(env);
  replicas = [first, ...(await Promise.all([fleet.start(env), fleet.start(env)]))];
  lb = await startRoundRobinProxy(replicas.map((replica) => replica.url));
  client = new HttpClient(lb.url);
  await client.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
}, 180_000);

afterAll(async () => {
  await lb?.close();
  await fleet?.stop();
  await target?.close();
  await db?.drop();
});

describe(`${REPLICAS} replicas behind a load balancer`, () => {
  it('start each deployment once, stream every change to clients of every replica, and time out overdue work once', async () => {
    // One event stream on each replica: consecutive requests through the balancer land on each in turn.
    const streams = [];
    for (let i = 0; i < REPLICAS; i++) streams.push(await openEventStream(client));
    expect(new Set(streams.map((stream) => stream.response.headers.get(BACKEND_HEADER)))).toEqual(
      new Set(['0', '1', '2']),
    );

    const stages = await webhookStages(db.url, fleet.secretKey, target, DEPLOYMENTS);
    const ids = await Promise.all(
      stages.map(async (stage) => {
        const id = await requestDeployment(client, stage);
        target.setStatus(id, { status: 'succeeded' });
        return id;
      }),
    );
    // Overdue work for the single-flight periodic job: targets that never finish, a 2 s stage deadline.
    const overdueStages = await webhookStages(db.url, fleet.secretKey, target, OVERDUE, 2);
    const overdue = await Promise.all(overdueStages.map((stage) => requestDeployment(client, stage)));
    const all = [...ids, ...overdue];
    await waitFor('every deployment terminal', () => allTerminal(db.url, all), 45_000, 250);

    const statuses = await statusesOf(db.url, all);
    expect(ids.map((id) => statuses.get(id))).toEqual(ids.map(() => 'succeeded'));
    expect(overdue.map((id) => statuses.get(id))).toEqual(overdue.map(() => 'timed_out'));
    // Exactly once at the target, though every replica's runner was looking for work, and always with
    // the deployment id as idempotency key. An overdue one may time out before its start is sent (a
    // 2 s deadline on a busy machine): then it is never sent.
    for (const id of ids) expect(target.starts(id), `deployment ${id}`).toHaveLength(1);
    for (const id of overdue) expect(target.starts(id).length, `overdue ${id}`).toBeLessThanOrEqual(1);
    for (const start of target.starts()) expect(start.headers['idempotency-key']).toBe(start.deploymentId);
    const startedOverdue = overdue.filter((id) => target.starts(id).length === 1);
    const runs = await runningTransitions(db.url, all);
    expect(all.map((id) => runs.get(id))).toEqual(all.map(() => 1));
    // The work really was spread: each start names, as its callback URL, the replica that made it.
    const starters = new Set(
      ids.map((id) => new URL((target.starts(id)[0]!.json as { callbackUrl: string }).callbackUrl).origin),
    );
    expect(starters.size).toBeGreaterThan(1);

    // The periodic job timed each overdue deployment out once, and asked its target to stop once.
    await waitFor('cancels sent', () =>
      startedOverdue.every((id) =>
        target.requests.some((r) => r.event === 'deployment.cancel' && r.deploymentId === id),
      ),
    );
    const timeouts = await sql(
      db.url,
      `SELECT deployment_id, count(*)::int AS n FROM deployment_events
       WHERE deployment_id = ANY($1::uuid[]) AND to_status = 'timed_out' GROUP BY deployment_id`,
      [overdue],
    );
    expect(timeouts.map((row) => row.n)).toEqual(overdue.map(() => 1));
    for (const id of startedOverdue)
      expect(
        target.requests.filter((r) => r.event === 'deployment.cancel' && r.deploymentId === id),
      ).toHaveLength(1);

    // Every stream saw every deployment end, whichever replica accepted or drove it.
    for (const stream of streams) {
      await waitFor('terminal events on every replica', () => {
        const ended = new Set(
          stream.messages
            .map((message) => liveEventSchema.parse(JSON.parse(message.data)))
            .flatMap((event) =>
              event.type === 'deployment.updated' && ['succeeded', 'timed_out'].includes(event.status)
                ? [event.deploymentId]
                : [],
            ),
        );
        return all.every((id) => ended.has(id));
      });
      stream.close();
    }
    for (const replica of replicas) {
      expect(replica.child.exitCode).toBeNull();
      expect(stackTraces(replica.output)).toEqual([]);
    }
  }, 90_000);
});
