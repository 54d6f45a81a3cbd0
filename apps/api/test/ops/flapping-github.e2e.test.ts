import {
  advanceRun,
  deliverWebhook,
  type FakeGitHub,
  type FakeGitHubFault,
  FakeGitHubPayloads,
  type FakeRepo,
  type FakeWorkflow,
  fakeWorkflow,
  installFakeActions,
  startFakeGitHub,
  webhookDelivery,
} from '@flightdeck/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitHubChecksRefresher } from '../../src/integrations/github/checks.service.js';
import { checksGateOf, gitHubEnv, HOOK_SECRET, releasesOf, serviceOnRepo } from '../github/support.js';
import { sql } from '../support/sql.js';
import { stageIds, startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from './support/processes.js';
import { allTerminal, createStages, requestDeployment, statusesOf } from './support/stages.js';

const DEPLOYMENTS = 2;
const HOOKED_RELEASES = 3;
// Versions the demo catalog does not have.
const POLLED_TAGS = ['v8.0.0', 'v8.1.0'];
// The work must be done within this long once GitHub starts flapping.
const WORK_MS = 30_000;

let gh: FakeGitHub;
let app: TestApp;

beforeAll(async () => {
  gh = await startFakeGitHub();
  installFakeActions(gh);
  app = await startTestApp({
    env: {
      ...gitHubEnv(gh),
      FLIGHTDECK_RUNNER_INTERVAL_MS: '100',
      FLIGHTDECK_GITHUB_POLL_SECONDS: '5',
      // Secondary limits below ask for a second: waited out, well under this bound.
      FLIGHTDECK_GITHUB_WAIT_SECONDS: '5',
    },
  });
});

afterAll(async () => {
  await app?.close();
  await gh?.close();
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// GitHub cycles: healthy, then a spell of one kind of trouble, healthy, the next kind. Reads get 502s,
// connections reset before an answer and secondary rate limits; writes (the workflow dispatch) get
// secondary limits (refused, nothing done) and answers lost after the work was done, the two cases
// where GitHub's side is known. A write met by a 502 or a reset before it is carried out is
// indistinguishable from one whose answer was lost: the driver then waits a minute for the run to
// show before dispatching again, longer than this test.
const SPELLS: ReadonlyArray<{ read: FakeGitHubFault; write: FakeGitHubFault }> = [
  { read: { kind: 'error502' }, write: { kind: 'secondary', retryAfter: 1 } },
  { read: { kind: 'reset' }, write: { kind: 'lostResponse' } },
  { read: { kind: 'secondary', retryAfter: 1 }, write: { kind: 'secondary', retryAfter: 1 } },
];

// What a read met by each kind of trouble is recorded as (a reset has no status: 0).
const READ_STATUS: Record<string, number> = { error502: 502, reset: 0, secondary: 403 };
const readsAnswered = (status: number) =>
  gh.requests.filter((request) => request.method === 'GET' && request.status === status).length;
const metEveryKind = () => SPELLS.every((spell) => readsAnswered(READ_STATUS[spell.read.kind]!) > 0);

function flap(): { stop: () => Promise<void> } {
  let flapping = true;
  const loop = (async () => {
    for (let i = 0; flapping; i++) {
      await pause(1_200);
      if (!flapping) break;
      const spell = SPELLS[i % SPELLS.length]!;
      const metBefore = readsAnswered(READ_STATUS[spell.read.kind]!);
      gh.fault(spell.read, { method: 'GET', times: 1_000 });
      // One write per spell at most: every lost answer is a run the driver must find, not redo.
      gh.fault(spell.write, { method: 'POST', times: 1 });
      await pause(700);
      // A spell no read met proves nothing (on a fast machine the work may be done by then): it lasts
      // until one does; the poller asks every few seconds.
      while (flapping && readsAnswered(READ_STATUS[spell.read.kind]!) === metBefore) await pause(100);
      gh.clearFaults();
    }
  })();
  return {
    stop: async () => {
      flapping = false;
      await loop;
      gh.clearFaults();
    },
  };
}

// Plays the GitHub Actions runner: every dispatched run starts, then succeeds a moment later.
function runWorkflows(workflow: FakeWorkflow): { stop: () => Promise<void> } {
  let running = true;
  const loop = (async () => {
    while (running) {
      for (const run of workflow.runs) {
        if (run.status === 'queued') advanceRun(run, 'in_progress');
        else if (run.status === 'in_progress') advanceRun(run, 'completed', 'success');
      }
      await pause(500);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

// Readiness asked all along: GitHub's trouble is not Flightdeck's, so it must stay ready.
function watchReadiness(): { stop: () => Promise<number[]> } {
  const answers: number[] = [];
  let watching = true;
  const loop = (async () => {
    while (watching) {
      answers.push(
        await fetch(`${app.url}/health/ready`).then(
          (response) => response.status,
          () => 0,
        ),
      );
      await pause(250);
    }
  })();
  return {
    stop: async () => {
      watching = false;
      await loop;
      return answers;
    },
  };
}

async function releaseIds(slug: string): Promise<Map<string, string>> {
  const rows = await sql(
    app.db.url,
    `SELECT r.version, r.id FROM releases r JOIN services s ON s.id = r.service_id WHERE s.slug = $1 AND r.source IN ('webhook', 'poll')`,
    [slug],
  );
  return new Map(rows.map((row) => [String(row.version), String(row.id)]));
}

describe('a GitHub that flaps', () => {
  it('still takes every delivery, poll, CI result and Actions deployment once, and stays ready', async () => {
    // Webhooks: published releases make checkout-api's releases; its dev stage requires "build".
    const payloads = new FakeGitHubPayloads(gh);
    const hooked: FakeRepo = await serviceOnRepo(app, gh, 'checkout-api', { releasePublished: true });
    // Polling: tags make catalog-search's releases; its dev stage requires the status "ci/e2e".
    const polled: FakeRepo = await serviceOnRepo(app, gh, 'catalog-search', { tag: true }, { polling: true });
    const stages = await stageIds(app);
    for (const [id, requiredChecks] of [
      [stages['checkout-api/dev']!, ['build']],
      [stages['catalog-search/dev']!, ['ci/e2e']],
    ] as const) {
      expect((await app.admin.patch(`/api/v1/stages/${id}`, { requiredChecks })).status).toBe(200);
    }
    // GitHub Actions: stages whose deploy workflow lives in the webhook repository.
    const workflow = fakeWorkflow(hooked, {
      file: 'deploy.yml',
      name: 'Deploy',
      inputs: ['environment', 'version', 'sha', 'flightdeck_deployment_id'],
      runName: (inputs) => `Deploy ${String(inputs.version)} [${String(inputs.flightdeck_deployment_id)}]`,
    });
    const actionStages = await createStages(app.db.url, DEPLOYMENTS, {
      kind: 'github_actions',
      config: () => ({
        owner: hooked.owner,
        repo: hooked.name,
        workflow: 'deploy.yml',
        ref: 'main',
        inputs: {},
        pollIntervalSeconds: 1,
      }),
    });

    const flapping = flap();
    const runner = runWorkflows(workflow);
    const readiness = watchReadiness();
    const refresher = app.server.app.get(GitHubChecksRefresher);
    const webhookAnswers: number[] = [];
    const hookUrl = `${app.url}/api/v1/integrations/github/webhook`;
    const deliver = async (event: string, payload: unknown) => {
      const delivery = webhookDelivery(HOOK_SECRET, event, payload);
      // GitHub redelivers when unsure: the second copy must change nothing.
      for (let copy = 0; copy < 2; copy++)
        webhookAnswers.push((await deliverWebhook(hookUrl, delivery)).status);
    };
    let deploymentIds: string[] = [];
    try {
      deploymentIds = await Promise.all(actionStages.map((stage) => requestDeployment(app.admin, stage)));
      for (let i = 0; i < HOOKED_RELEASES; i++) {
        const commit = hooked.commit({ message: `Checkout change ${i}` });
        const release = hooked.release({ tag: `v7.${i}.0` });
        await deliver('release', payloads.release(hooked, release));
        await deliver(
          'check_run',
          payloads.checkRun(hooked, hooked.checkRun(commit.sha, 'build', 'completed', 'success')),
        );
      }
      for (const tag of POLLED_TAGS) {
        const commit = polled.commit({ message: `Search change ${tag}` });
        polled.tag(tag, commit.sha);
        polled.status(commit.sha, 'ci/e2e', 'success');
      }

      // What is still missing, printed if the work does not finish in time.
      let progress: Record<string, unknown> = {};
      await waitFor(
        'every release, CI result and deployment',
        async () => {
          // The 15 s refresh is what reads CI of polled releases; ask for passes more often here.
          await refresher.refreshOnce().catch(() => undefined);
          const [hookedIds, polledIds] = [
            await releaseIds('checkout-api'),
            await releaseIds('catalog-search'),
          ];
          const gates = await Promise.all([
            ...[...hookedIds.values()].map((id) => checksGateOf(app, stages['checkout-api/dev']!, id)),
            ...[...polledIds.values()].map((id) => checksGateOf(app, stages['catalog-search/dev']!, id)),
          ]);
          progress = {
            hooked: (await releasesOf(app, 'checkout-api')).map((r) => r.version),
            polled: (await releasesOf(app, 'catalog-search')).map((r) => r.version),
            gates: gates.map((gate) => gate?.message),
            deployments: [...(await statusesOf(app.db.url, deploymentIds)).values()],
          };
          return (
            (progress.hooked as string[]).length === HOOKED_RELEASES &&
            (progress.polled as string[]).length === POLLED_TAGS.length &&
            gates.every((gate) => gate?.state === 'pass') &&
            (await allTerminal(app.db.url, deploymentIds))
          );
        },
        WORK_MS,
        500,
      ).catch(async (error: unknown) => {
        const deliveries = await sql(
          app.db.url,
          'SELECT event, state::text AS state, attempts, outcome FROM github_deliveries ORDER BY received_at',
        );
        console.log(JSON.stringify({ progress, deliveries }, null, 2));
        throw error;
      });
      // Done work must stay done while GitHub goes on flapping until each kind of trouble was met.
      await waitFor(
        'a read met by each kind of trouble',
        () => Promise.resolve(metEveryKind()),
        WORK_MS,
        200,
      );
    } finally {
      await flapping.stop();
      await runner.stop();
    }
    const ready = await readiness.stop();

    // One release per version, from the webhook or the poll.
    const hookedReleases = await releasesOf(app, 'checkout-api');
    expect(hookedReleases.map((r) => r.version).sort()).toEqual(['v7.0.0', 'v7.1.0', 'v7.2.0']);
    expect(hookedReleases.every((r) => r.source === 'webhook')).toBe(true);
    const polledReleases = await releasesOf(app, 'catalog-search');
    expect(polledReleases.map((r) => r.version).sort()).toEqual(POLLED_TAGS);
    // Every delivery was taken, and each redelivery recognised.
    expect(webhookAnswers.every((status) => status === 202)).toBe(true);
    const deliveries = await sql(
      app.db.url,
      `SELECT state::text AS state, count(*)::int AS n FROM github_deliveries GROUP BY 1`,
    );
    expect(deliveries.filter((row) => row.state === 'failed')).toEqual([]);
    // Every deployment succeeded with one workflow run.
    const statuses = await statusesOf(app.db.url, deploymentIds);
    expect(deploymentIds.map((id) => statuses.get(id))).toEqual(deploymentIds.map(() => 'succeeded'));
    for (const id of deploymentIds)
      expect(
        workflow.runs.filter((run) => run.inputs.flightdeck_deployment_id === id),
        id,
      ).toHaveLength(1);
    // Ready all along, and no request Flightdeck answered was a 5xx.
    expect(ready.length).toBeGreaterThan(0);
    expect(ready.filter((status) => status !== 200)).toEqual([]);
    expect(app.logs.filter((line) => /"statusCode":5\d\d/.test(line))).toEqual([]);
    // GitHub really did flap, in each way.
    const statusesSeen = new Set(gh.requests.map((r) => r.status));
    for (const status of [502, 403, 0])
      expect(statusesSeen.has(status), `GitHub answered ${status}`).toBe(true);
  }, 120_000);
});
