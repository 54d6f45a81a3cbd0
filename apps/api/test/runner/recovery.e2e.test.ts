import { isTerminal } from '@flightdeck/contracts';
import { describe, expect, it } from 'vitest';
import { HttpClient } from '../support/http-client.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../support/test-app.js';
import { fleetForFile, waitFor } from '../ops/support/processes.js';
import {
  allTerminal,
  requestDeployment,
  runningTransitions,
  sandboxStages,
  statusesOf,
} from '../ops/support/stages.js';

// Enough to need several runner passes and more than one claim batch; short sandbox rollouts keep the
// whole drill within seconds.
const IN_FLIGHT = 100;
const SANDBOX_SECONDS = 8;

const context = fleetForFile();

describe('a process killed mid-deployment', () => {
  it(`leaves ${IN_FLIGHT} in-flight deployments that a restarted process brings to a terminal state, each started once`, async () => {
    // Requests go to an API-only process, so that all of them are queued before a runner takes them.
    const api = await context.fleet.start({ FLIGHTDECK_RUNNER: 'false' });
    const client = new HttpClient(api.url);
    await client.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
    const stages = await sandboxStages(context.db.url, IN_FLIGHT, SANDBOX_SECONDS);
    const ids: string[] = [];
    for (let i = 0; i < stages.length; i += 20)
      ids.push(
        ...(await Promise.all(stages.slice(i, i + 20).map((stage) => requestDeployment(client, stage)))),
      );

    const env = { FLIGHTDECK_RUNNER_CONCURRENCY: String(IN_FLIGHT) };
    const runner = await context.fleet.start(env);
    // Kill it, without a chance to clean up, once it is driving at least half of them.
    await waitFor(
      'half of them running',
      async () => {
        const statuses = await statusesOf(context.db.url, ids);
        return [...statuses.values()].filter((status) => status === 'running').length >= IN_FLIGHT / 2;
      },
      60_000,
    );
    await runner.kill();
    const atKill = await statusesOf(context.db.url, ids);
    expect([...atKill.values()].filter((status) => !isTerminal(status)).length).toBeGreaterThanOrEqual(
      IN_FLIGHT / 2,
    );

    await context.fleet.start(env);
    await waitFor('every deployment terminal', () => allTerminal(context.db.url, ids), 60_000, 250);
    const statuses = await statusesOf(context.db.url, ids);
    expect(new Set(statuses.values())).toEqual(new Set(['succeeded']));
    // Each was started once: the restarted runner resumed the rollout instead of beginning another.
    const runs = await runningTransitions(context.db.url, ids);
    expect(ids.map((id) => runs.get(id))).toEqual(ids.map(() => 1));
  }, 240_000);
});
