import { randomUUID } from 'node:crypto';
import {
  advanceRun,
  type FakeGitHub,
  type FakeRepo,
  type FakeWorkflow,
  fakeWorkflow,
  installFakeActions,
  startFakeGitHub,
} from '@flightdeck/test-kit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GitHubConfig } from '../../src/config/config.js';
import type { DriverContext, DriverStep, JsonObject } from '../../src/drivers/driver.js';
import { GitHubActionsDriver } from '../../src/drivers/github-actions/github-actions.driver.js';
import { GitHubClientFactory } from '../../src/integrations/github/github-client.factory.js';
import { Metrics } from '../../src/metrics/metrics.js';
import { memoryLogger } from '../support/test-app.js';

const DISPATCHES = '/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches';

// The driver against a fake GitHub over HTTP, called the way the runner calls it: the state each
// step returns is handed to the next call, and a "restart" is a new driver with a new client.
describe('GitHub Actions driver', () => {
  let gh: FakeGitHub;
  let repo: FakeRepo;
  let workflow: FakeWorkflow;
  const metrics = new Metrics();

  beforeAll(async () => {
    gh = await startFakeGitHub();
    installFakeActions(gh);
    repo = gh.addRepo('acme', 'shop');
    workflow = fakeWorkflow(repo, {
      file: 'deploy.yml',
      name: 'Deploy',
      inputs: ['environment', 'version', 'sha', 'flightdeck_deployment_id', 'region'],
      runName: (i) =>
        `Deploy ${String(i.version)} to ${String(i.environment)} [${String(i.flightdeck_deployment_id)}]`,
    });
  });
  afterAll(() => gh.close());
  beforeEach(() => {
    gh.requests.length = 0;
  });

  const newDriver = () => {
    const config: GitHubConfig = {
      apiUrl: gh.url,
      auth: { kind: 'app', appId: gh.app.id, privateKey: gh.app.privateKey },
      webhookSecret: null,
      pollIntervalMs: 60_000,
      maxWaitSeconds: 5,
    };
    // A short request timeout so a lost answer is noticed quickly.
    const factory = new GitHubClientFactory(config, metrics, memoryLogger([]), {
      retryBaseMs: 10,
      timeoutMs: 1_500,
    });
    return new GitHubActionsDriver(factory);
  };

  const context = (deploymentId: string, state: JsonObject | null, started: boolean): DriverContext => ({
    deployment: { id: deploymentId, kind: 'promote', requestedBy: 'ada', reason: '', deadlineAt: null },
    stage: {
      id: randomUUID(),
      serviceSlug: 'shop',
      environmentSlug: 'staging',
      driverKind: 'github_actions',
      driverConfig: {
        owner: 'acme',
        repo: 'shop',
        workflow: 'deploy.yml',
        ref: 'main',
        inputs: { region: 'eu-west-1' },
        pollIntervalSeconds: 1,
      },
    },
    release: {
      id: randomUUID(),
      version: '1.4.2',
      commitSha: repo.head().sha,
      artifactRef: null,
      notes: '',
    },
    started,
    state,
    now: new Date(),
    signal: new AbortController().signal,
  });

  // Calls start/poll like the runner until the driver says the external deployment exists.
  async function startUntilStarted(driver: GitHubActionsDriver, id: string, from: JsonObject | null = null) {
    let state = from;
    for (let i = 0; i < 10; i++) {
      const step = await driver.start(context(id, state, false));
      state = step.state;
      if (step.outcome !== 'progress') return step;
      if (step.started) return step;
    }
    throw new Error('driver did not start');
  }

  async function pollUntilDone(
    driver: GitHubActionsDriver,
    id: string,
    state: JsonObject,
  ): Promise<DriverStep> {
    const step = await driver.poll(context(id, state, true));
    return step;
  }

  it('dispatches the workflow with the deployment inputs and follows the run to success', async () => {
    const driver = newDriver();
    const id = randomUUID();
    const started = await startUntilStarted(driver, id);
    expect(started.outcome).toBe('progress');
    const dispatches = gh.requestsTo('POST', DISPATCHES);
    expect(dispatches).toHaveLength(1);
    expect(dispatches[0]!.body).toEqual({
      ref: 'main',
      inputs: {
        region: 'eu-west-1',
        environment: 'staging',
        version: '1.4.2',
        sha: repo.head().sha,
        flightdeck_deployment_id: id,
      },
      return_run_details: true,
    });
    const run = workflow.runs.at(-1)!;
    expect(started.outcome === 'progress' && started.externalId).toBe(String(run.id));
    expect(started.outcome === 'progress' && started.url).toContain(`/acme/shop/actions/runs/${run.id}`);

    advanceRun(run, 'in_progress');
    const running = await pollUntilDone(driver, id, started.state);
    expect(running).toMatchObject({
      outcome: 'progress',
      started: true,
      message: 'deploy.yml run #1 is in progress',
    });
    advanceRun(run, 'completed', 'success');
    const done = await pollUntilDone(driver, id, running.state);
    expect(done).toMatchObject({ outcome: 'succeeded', externalId: String(run.id) });
    expect(gh.contractProblems).toEqual([]);
  });

  it('reports a failed run as a failed deployment with the run link', async () => {
    const driver = newDriver();
    const id = randomUUID();
    const started = await startUntilStarted(driver, id);
    const run = workflow.runs.at(-1)!;
    advanceRun(run, 'completed', 'failure');
    const done = await pollUntilDone(driver, id, started.state);
    expect(done.outcome).toBe('failed');
    expect(done.outcome === 'failed' && done.message).toMatch(
      /deploy\.yml run #\d+ ended failure: .*actions\/runs\//,
    );
  });

  it('cancels the run when the deployment is cancelled', async () => {
    const driver = newDriver();
    const id = randomUUID();
    const started = await startUntilStarted(driver, id);
    const run = workflow.runs.at(-1)!;
    await driver.cancel(context(id, started.state, true));
    expect(gh.requestsTo('POST', '/repos/{owner}/{repo}/actions/runs/{run_id}/cancel', 202)).toHaveLength(1);
    expect(run.conclusion).toBe('cancelled');
    const done = await pollUntilDone(driver, id, started.state);
    expect(done.outcome).toBe('failed');
    // Cancelling a finished run is not an error.
    await driver.cancel(context(id, started.state, true));
  });

  it('refuses with GitHub’s reason when the workflow does not take an input', async () => {
    const driver = newDriver();
    const id = randomUUID();
    const ctx = context(id, null, false);
    const intent = await driver.start(ctx);
    const step = await driver.start({
      ...ctx,
      stage: {
        ...ctx.stage,
        driverConfig: { ...(ctx.stage.driverConfig as object), inputs: { color: 'blue' } },
      },
      state: intent.state,
    });
    expect(step.outcome).toBe('failed');
    expect(step.outcome === 'failed' && step.message).toContain('Unexpected inputs provided');
  });

  it('finds the run after a lost dispatch answer and a restart, instead of dispatching twice', async () => {
    const id = randomUUID();
    const runsBefore = workflow.runs.length;
    workflow.loseNextDispatchResponse = true;
    const first = newDriver();
    const intent = await first.start(context(id, null, false));
    expect(intent).toMatchObject({ outcome: 'progress', started: false });
    const lost = await first.start(context(id, intent.state, false));
    // The answer never came: the driver does not know whether the run exists.
    expect(lost).toMatchObject({ outcome: 'progress', started: false });
    expect(workflow.runs.length).toBe(runsBefore + 1);

    // Restarted: a new process resumes from the stored state.
    const restarted = newDriver();
    const resumed = await restarted.start(context(id, lost.state, false));
    expect(resumed).toMatchObject({ outcome: 'progress', started: true });
    // The lost request never got an answer (the fake logs answered ones); no second one went out.
    expect(gh.requestsTo('POST', DISPATCHES)).toHaveLength(0);
    expect(workflow.runs.filter((r) => r.inputs.flightdeck_deployment_id === id)).toHaveLength(1);
    const run = workflow.runs.at(-1)!;
    expect(resumed.outcome === 'progress' && resumed.externalId).toBe(String(run.id));
    advanceRun(run, 'completed', 'success');
    expect((await restarted.poll(context(id, resumed.state, true))).outcome).toBe('succeeded');
  });

  it('a restart between the stored intent and the answer looks for the run first', async () => {
    const id = randomUUID();
    const driver = newDriver();
    const intent = await driver.start(context(id, null, false));
    const started = await driver.start(context(id, intent.state, false));
    expect(started).toMatchObject({ started: true });
    // The process died before the runner stored that step: it is called again with the intent.
    const again = await newDriver().start(context(id, intent.state, false));
    expect(again).toMatchObject({
      started: true,
      externalId: started.outcome === 'progress' ? started.externalId : '',
    });
    expect(gh.requestsTo('POST', DISPATCHES)).toHaveLength(1);
  });
});
