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
    gh.clearFaults();
  });

  const newDriver = (appId = gh.app.id) => {
    const config: GitHubConfig = {
      apiUrl: gh.url,
      auth: { kind: 'app', appId, privateKey: gh.app.privateKey },
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

  const context = (
    deploymentId: string,
    state: JsonObject | null,
    started: boolean,
    target: { owner: string; repo: string } = { owner: 'acme', repo: 'shop' },
  ): DriverContext => ({
    deployment: { id: deploymentId, kind: 'promote', requestedBy: 'ada', reason: '', deadlineAt: null },
    stage: {
      id: randomUUID(),
      serviceSlug: 'shop',
      environmentSlug: 'staging',
      driverKind: 'github_actions',
      driverConfig: {
        ...target,
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

  it('retries a failed installation lookup and token exchange (502s) and dispatches once', async () => {
    const id = randomUUID();
    // More 502s than the client's own retries (3) on each: the first calls cannot authenticate.
    gh.fault({ kind: 'error502' }, { path: /\/installation$/, times: 5 });
    gh.fault({ kind: 'error502' }, { path: /\/access_tokens$/, times: 5 });
    const driver = newDriver();
    let state: JsonObject | null = null;
    const steps: DriverStep[] = [];
    for (let i = 0; i < 10; i++) {
      const step = await driver.start(context(id, state, false));
      steps.push(step);
      state = step.state;
      if (step.outcome !== 'progress' || step.started) break;
    }
    const last = steps.at(-1)!;
    expect(last).toMatchObject({ outcome: 'progress', started: true });
    expect(steps.map((s) => (s.outcome === 'progress' ? (s.message ?? '') : s.message)).join('\n')).toMatch(
      /GitHub answered 502.*trying again in \d+ s/,
    );
    expect(gh.requestsTo('POST', '/app/installations/{installation_id}/access_tokens', 502)).toHaveLength(5);
    expect(gh.requestsTo('POST', DISPATCHES)).toHaveLength(1);
    expect(workflow.runs.filter((r) => r.inputs.flightdeck_deployment_id === id)).toHaveLength(1);
    const run = workflow.runs.at(-1)!;
    advanceRun(run, 'completed', 'success');
    expect((await driver.poll(context(id, last.state, true))).outcome).toBe('succeeded');
  });

  it('fails with the reason when the App is not installed on the owner or its credentials are refused', async () => {
    gh.addRepo('nohost', 'web', { installed: false });
    const target = { owner: 'nohost', repo: 'web' };
    const driver = newDriver();
    const step = await driver.start(context(randomUUID(), null, false, target));
    expect(step.outcome).toBe('failed');
    expect(step.outcome === 'failed' && step.message).toMatch(
      /GitHub App is not installed on nohost.*GitHub answered 404/,
    );

    // Another App id: GitHub cannot verify the App's token (401).
    const stranger = newDriver('999999');
    const refused = await stranger.start(context(randomUUID(), null, false));
    expect(refused.outcome).toBe('failed');
    expect(refused.outcome === 'failed' && refused.message).toMatch(
      /refused the GitHub App's credentials.*GitHub answered 401/,
    );
    expect(gh.requestsTo('POST', DISPATCHES)).toHaveLength(0);
  });

  it('waits out rate limits on the dispatch (Retry-After, reset) and dispatches exactly once', async () => {
    const id = randomUUID();
    const driver = newDriver();
    const intent = await driver.start(context(id, null, false));
    const dispatchPath = { method: 'POST', path: /\/dispatches$/ };

    // Refused more times than the client waits it out (it retries 3 times).
    gh.fault({ kind: 'secondary', retryAfter: 1 }, { ...dispatchPath, times: 4 });
    const secondary = await driver.start(context(id, intent.state, false));
    expect(secondary).toMatchObject({ outcome: 'progress', started: false });
    expect(secondary.outcome === 'progress' && secondary.message).toMatch(/secondary rate limit/);

    // A Retry-After longer than the client may wait: the next attempt is not sooner than asked.
    gh.fault({ kind: 'secondary', retryAfter: 120 }, dispatchPath);
    const now = Date.now();
    const later = await driver.start(context(id, secondary.state, false));
    expect(later).toMatchObject({ outcome: 'progress', started: false });
    expect(later.outcome === 'progress' && later.nextRunAt.getTime()).toBeGreaterThanOrEqual(now + 120_000);

    // A primary limit (429, x-ratelimit-remaining 0): waits for the reset.
    gh.fault({ kind: 'primary', status: 429, resetInSeconds: 600 }, dispatchPath);
    const primary = await driver.start(context(id, later.state, false));
    expect(primary).toMatchObject({ outcome: 'progress', started: false });
    expect(primary.outcome === 'progress' && primary.nextRunAt.getTime()).toBeGreaterThanOrEqual(
      now + 590_000,
    );

    const started = await startUntilStarted(driver, id, primary.state);
    expect(started).toMatchObject({ outcome: 'progress', started: true });
    expect(gh.requestsTo('POST', DISPATCHES).filter((r) => r.status < 300)).toHaveLength(1);
    expect(workflow.runs.filter((r) => r.inputs.flightdeck_deployment_id === id)).toHaveLength(1);
    const run = workflow.runs.at(-1)!;
    advanceRun(run, 'completed', 'success');
    expect((await driver.poll(context(id, started.state, true))).outcome).toBe('succeeded');
  });
});
