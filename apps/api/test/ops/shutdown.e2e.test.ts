import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { HttpClient } from '../support/http-client.js';
import { sql } from '../support/sql.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../support/test-app.js';
import { fleetForFile, stackTraces, waitFor } from './support/processes.js';
import { webhookTargetForFile } from './support/webhook-target.js';
import { requestDeployment, webhookStages } from './support/stages.js';

// SIGTERM to a real process with work in flight: an HTTP request held open by a row lock, a live
// event stream, and a runner tick waiting on a slow target.
const context = fleetForFile();
const files = webhookTargetForFile();

// Reads a live-event stream to its end: 'ended' when the server closed it cleanly.
async function readToEnd(client: HttpClient): Promise<{ ended: Promise<'ended' | 'broken'> }> {
  const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const response = await fetch(`${client.baseUrl}/api/v1/events`, {
    headers: { accept: 'text/event-stream', cookie },
  });
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  const ended = (async () => {
    try {
      for (;;) if ((await reader.read()).done) return 'ended' as const;
    } catch {
      return 'broken' as const;
    }
  })();
  return { ended };
}

const refused = (url: string) =>
  fetch(`${url}/health/live`).then(
    () => false,
    (error: { cause?: { code?: string } }) => error.cause?.code === 'ECONNREFUSED',
  );

// Error lines: a red readiness (503) during the drain delay is a deliberate answer, logged at warn.
const errorLines = (output: readonly string[]) => output.filter((line) => /"level":(50|60)/.test(line));

// The drain-delay drills are about HTTP only: without a runner, they do not pick up the deployment the
// first drill leaves running.
const startWithDelay = async (seconds: number) => {
  const process = await context.fleet.start({
    LOG_LEVEL: 'info',
    FLIGHTDECK_SHUTDOWN_DELAY_SECONDS: String(seconds),
    FLIGHTDECK_RUNNER: 'false',
  });
  return { process, client: new HttpClient(process.url) };
};

// SIGTERM, then wait until readiness answers 503 (the drain delay has begun).
const stopUntilRed = async ({ process, client }: Awaited<ReturnType<typeof startWithDelay>>) => {
  process.child.kill('SIGTERM');
  await waitFor('readiness red', async () => (await client.get('/health/ready')).status === 503, 5_000, 50);
};

describe('a graceful stop (SIGTERM)', () => {
  it('refuses new connections, lets the request in flight finish, ends streams, finishes the runner tick, then exits 0', async () => {
    const process = await context.fleet.start({ LOG_LEVEL: 'info' });
    const client = new HttpClient(process.url);
    await client.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
    const [held, slow] = await webhookStages(context.db.url, context.fleet.secretKey, files.target, 2);

    // A runner tick in flight: the target takes 3 s to answer the start.
    files.target.setBehaviour({ kind: 'accept', delayMs: 3_000 });
    const deploymentId = await requestDeployment(client, slow!);
    await files.target.waitFor(() => files.target.starts(deploymentId).length === 1, 30_000);
    const stream = await readToEnd(client);

    // A request held open: locking the stage waits on its stage_states row, which the test holds.
    const blocker = new pg.Client(context.db.url);
    const observer = new pg.Client(context.db.url);
    await Promise.all([blocker.connect(), observer.connect()]);
    let answer: Promise<{ status: number }>;
    try {
      await blocker.query('BEGIN');
      await blocker.query('SELECT stage_id FROM stage_states WHERE stage_id = $1 FOR UPDATE', [
        held!.stageId,
      ]);
      answer = client.put(`/api/v1/stages/${held!.stageId}/lock`, { reason: 'shutdown drill' });
      await waitFor('the request waiting on the row', async () => {
        const { rows } = await observer.query(
          `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'
             AND query ILIKE '%stage_states%'`,
        );
        return rows.length > 0;
      });

      process.child.kill('SIGTERM');
      // While that request is still in flight, the process takes no new connections.
      await waitFor('new connections refused', () => refused(process.url), 5_000, 50);
      expect(await stream.ended).toBe('ended');
      await blocker.query('ROLLBACK');
    } finally {
      await Promise.all([blocker.end(), observer.end()]);
    }

    expect((await answer).status).toBe(200);
    expect(await process.exited).toBe(0);

    // The tick in flight recorded the target's answer before the pool closed.
    const events = await sql(
      context.db.url,
      `SELECT message FROM deployment_events WHERE deployment_id = $1 ORDER BY created_at`,
      [deploymentId],
    );
    expect(events.map((e) => e.message)).toContain('Webhook target accepted the deployment (202)');
    const [row] = await sql(context.db.url, `SELECT lease_owner FROM deployments WHERE id = $1`, [
      deploymentId,
    ]);
    expect(row!.lease_owner).toBeNull();
    expect(process.output.filter((line) => /"level":(50|60)/.test(line))).toEqual([]);
    expect(stackTraces(process.output)).toEqual([]);
  }, 120_000);

  it('with a drain delay, answers 503 on readiness while still serving requests, then closes and exits 0', async () => {
    const started = await startWithDelay(2);
    const { process, client } = started;
    await client.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
    expect((await client.get('/health/ready')).status).toBe(200);

    await stopUntilRed(started);
    // The load balancer has not taken the replica out yet: its requests are still served.
    expect((await client.get('/api/v1/me')).status).toBe(200);
    expect(await fetch(`${process.url}/health/live`).then((r) => r.status)).toBe(200);

    await waitFor('new connections refused', () => refused(process.url), 10_000, 50);
    expect(await process.exited).toBe(0);
    expect(errorLines(process.output)).toEqual([]);
    expect(stackTraces(process.output)).toEqual([]);
  }, 60_000);

  it('a second signal during the drain delay skips the rest of it', async () => {
    const started = await startWithDelay(60);
    const { process } = started;
    await stopUntilRed(started);
    process.child.kill('SIGINT');
    // Well before the 60 s delay would have run out.
    await waitFor('new connections refused', () => refused(process.url), 30_000, 50);
    expect(await process.exited).toBe(0);
    expect(errorLines(process.output)).toEqual([]);
  }, 60_000);
});
