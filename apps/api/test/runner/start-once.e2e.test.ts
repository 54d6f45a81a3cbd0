import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { HttpClient } from '../support/http-client.js';
import { sql } from '../support/sql.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../support/test-app.js';
import { fleetForFile, stackTraces, waitFor, type FlightdeckProcess } from '../ops/support/processes.js';
import {
  allTerminal,
  requestDeployment,
  runningTransitions,
  statusesOf,
  webhookStages,
} from '../ops/support/stages.js';
import { webhookTargetForFile } from '../ops/support/webhook-target.js';

// A start that reached the target but whose answer was never recorded is resumed, not sent again:
// once when the process dies with the start in flight, once when the write of its answer fails.
const context = fleetForFile();
const files = webhookTargetForFile();

async function signedIn(process: FlightdeckProcess): Promise<HttpClient> {
  const client = new HttpClient(process.url);
  await client.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
  return client;
}

// Starts the target received for one deployment, and the distinct idempotency keys they carried.
function startsAt(id: string): { requests: number; keys: Set<string | undefined> } {
  const starts = files.target.starts(id);
  return { requests: starts.length, keys: new Set(starts.map((r) => r.headers['idempotency-key'])) };
}

async function expectStartedOnce(id: string): Promise<void> {
  await waitFor('the deployment terminal', () => allTerminal(context.db.url, [id]), 60_000, 250);
  expect((await statusesOf(context.db.url, [id])).get(id)).toBe('succeeded');
  expect(startsAt(id)).toEqual({ requests: 1, keys: new Set([id]) });
  expect((await runningTransitions(context.db.url, [id])).get(id)).toBe(1);
  // The answer really was lost: the deployment was found at the target by its status URL.
  const found = await sql(
    context.db.url,
    `SELECT count(*)::int AS n FROM deployment_events WHERE deployment_id = $1 AND message LIKE $2`,
    [id, 'Webhook target already has this deployment%'],
  );
  expect(found[0]!.n).toBe(1);
}

describe('a start whose answer is lost', () => {
  it('is looked up at the target, not sent again, after the process died during the call', async () => {
    const first = await context.fleet.start();
    const [stage] = await webhookStages(context.db.url, context.fleet.secretKey, files.target, 1);
    // The target takes the start and is slow to say so: the process dies before it answers.
    files.target.setBehaviour({ kind: 'hang' });
    const id = await requestDeployment(await signedIn(first), stage!);
    await files.target.waitFor(() => files.target.starts(id).length === 1, 30_000);
    await first.kill();
    files.target.setBehaviour({ kind: 'accept' });
    files.target.setStatus(id, { status: 'succeeded', message: 'rolled out' });

    // Another process takes the deployment over once the dead one's lease (3 s) runs out.
    const second = await context.fleet.start();
    await expectStartedOnce(id);
    expect(stackTraces(second.output)).toEqual([]);
  }, 120_000);

  it('is looked up at the target, not sent again, after writing its answer failed', async () => {
    const runner = await context.fleet.start();
    const [stage] = await webhookStages(context.db.url, context.fleet.secretKey, files.target, 1);
    files.target.setBehaviour({ kind: 'accept', delayMs: 2_000 });
    const id = await requestDeployment(await signedIn(runner), stage!);
    await files.target.waitFor(() => files.target.starts(id).length === 1, 30_000);

    // While the target still holds its answer, lock the deployment's row: the runner's write of the
    // answer waits on it, and its connection is then cut, so the write fails as in a database outage.
    const blocker = new pg.Client(context.db.url);
    // Outside the blocker's transaction, which would see pg_stat_activity as of its first look.
    const observer = new pg.Client(context.db.url);
    await Promise.all([blocker.connect(), observer.connect()]);
    try {
      await blocker.query('BEGIN');
      await blocker.query('SELECT id FROM deployments WHERE id = $1 FOR UPDATE', [id]);
      const waiting = async () =>
        (
          await observer.query<{ pid: number }>(
            `SELECT pid FROM pg_stat_activity
             WHERE datname = current_database() AND wait_event_type = 'Lock'
               AND query ILIKE 'UPDATE%deployments%driver_state%'`,
          )
        ).rows;
      await waitFor('the answer being written', async () => (await waiting()).length > 0, 30_000);
      for (const { pid } of await waiting()) await observer.query('SELECT pg_terminate_backend($1)', [pid]);
      await blocker.query('ROLLBACK');
    } finally {
      await Promise.all([blocker.end(), observer.end()]);
    }

    files.target.setStatus(id, { status: 'succeeded', message: 'rolled out' });
    await expectStartedOnce(id);
    expect(runner.child.exitCode).toBeNull();
  }, 120_000);
});
