import { Inject, Injectable } from '@nestjs/common';
import { RequestError } from '@octokit/request-error';
import { z } from 'zod';
import {
  type GitHubClients,
  GitHubClientFactory,
  gitHubFailure,
  isRateLimited,
} from '../../integrations/github/github-client.factory.js';
import type { DeployDriver, DriverContext, DriverStep } from '../driver.js';
import { retryAfterSeconds } from '../webhook/webhook.driver.js';
import {
  dispatchInputs,
  type GitHubActionsConfig,
  parseGitHubActionsConfig,
} from './github-actions-config.js';

// A dispatch whose answer was lost is looked for this long before it is sent again (GitHub lists a
// dispatched run within seconds).
const FIND_GRACE_MS = 60_000;
const FIND_RETRY_MS = 3_000;
const MAX_DISPATCHES = 3;
// Runs listed from a little before the intent: clocks of GitHub and Flightdeck differ.
const CLOCK_SKEW_MS = 5 * 60_000;
const MAX_TRANSIENT_BACKOFF_S = 60;
// A primary limit resets within the hour; a longer ask is not believed.
const MAX_RATE_LIMIT_WAIT_S = 3_600;

const stateSchema = z.object({
  // When Flightdeck decided to dispatch: recorded by the runner before the first dispatch is sent.
  intentAt: z.string().nullable().catch(null),
  dispatches: z.number().int().min(0).catch(0),
  // A dispatch went out but its outcome is unknown (timeout, 5xx, shutdown): look before sending again.
  unknownSince: z.string().nullable().catch(null),
  runId: z.number().int().nullable().catch(null),
  runUrl: z.string().nullable().catch(null),
  // The last status written to the event log, so polls do not repeat it.
  lastReport: z.string().nullable().catch(null),
  transientFailures: z.number().int().min(0).catch(0),
});
type ActionsState = z.infer<typeof stateSchema>;

const EMPTY: ActionsState = {
  intentAt: null,
  dispatches: 0,
  unknownSince: null,
  runId: null,
  runUrl: null,
  lastReport: null,
  transientFailures: 0,
};

function readState(raw: unknown): ActionsState {
  return raw && typeof raw === 'object' ? stateSchema.parse({ ...EMPTY, ...raw }) : EMPTY;
}

interface Run {
  readonly id: number | bigint;
  readonly html_url: string;
  readonly status: string | null;
  readonly conclusion: string | null;
  readonly run_number: number;
  readonly display_title?: string;
}

type Setup =
  | { readonly config: GitHubActionsConfig; readonly gh: GitHubClients }
  // Will not get better by waiting: the deployment fails with this reason.
  | { readonly problem: string }
  // GitHub unreachable, failing or rate limiting for now: the runner calls again later.
  | { readonly trouble: string; readonly error: unknown };

// Why the clients for a repository could not be had, when waiting will not help; null when it may.
function permanentSetupProblem(config: GitHubActionsConfig, error: unknown): string | null {
  const where = `${config.owner}/${config.repo}`;
  if (!(error instanceof RequestError)) return null;
  if (isRateLimited(error) || error.status === 408 || error.status < 400 || error.status >= 500) return null;
  if (error.status === 404) {
    return `The GitHub App is not installed on ${config.owner} or cannot see ${where}; install it there (${gitHubFailure(error)})`;
  }
  if (error.status === 401) {
    return `GitHub refused the GitHub App's credentials; check FLIGHTDECK_GITHUB_APP_ID and FLIGHTDECK_GITHUB_PRIVATE_KEY (${gitHubFailure(error)})`;
  }
  return `Cannot act on ${where}: ${gitHubFailure(error)}`;
}

// Seconds a rate-limit refusal asks us to wait: Retry-After, or until x-ratelimit-reset.
function rateLimitWaitSeconds(error: unknown, now: Date): number {
  if (!(error instanceof RequestError) || !isRateLimited(error)) return 0;
  const headers = error.response?.headers ?? {};
  const retryAfter = headers['retry-after'];
  const asked = retryAfterSeconds(typeof retryAfter === 'string' ? retryAfter : null, now) ?? 0;
  const reset = Number(headers['x-ratelimit-reset']);
  const untilReset = Number.isFinite(reset) ? Math.ceil(reset - now.getTime() / 1000) : 0;
  return Math.min(MAX_RATE_LIMIT_WAIT_S, Math.max(asked, untilReset));
}

// Deploys by dispatching a workflow_dispatch workflow and following its run. A dispatch is never
// retried blindly: the intent is stored first, and a dispatch whose answer was lost (or a restart
// in the middle of one) looks for the run by the deployment id in its run-name before sending again.
@Injectable()
export class GitHubActionsDriver implements DeployDriver {
  readonly kind = 'github_actions' as const;

  constructor(@Inject(GitHubClientFactory) private readonly github: GitHubClientFactory) {}

  async start(ctx: DriverContext): Promise<DriverStep> {
    const state = readState(ctx.state);
    const setup = await this.setup(ctx);
    if ('problem' in setup) return { outcome: 'failed', state, message: setup.problem };
    if ('trouble' in setup) return this.transient(ctx, state, setup.trouble, setup.error);
    if (state.runId !== null) return this.poll(ctx);
    const { config, gh } = setup;
    const now = Math.max(ctx.now.getTime(), Date.now());
    if (state.intentAt === null) {
      // Stored by the runner before anything is sent: a restart from here on looks before it sends.
      return {
        outcome: 'progress',
        started: false,
        state: { ...state, intentAt: new Date(now).toISOString() },
        nextRunAt: new Date(now),
        message: `Dispatching workflow ${config.workflow} on ${config.ref}`,
      };
    }

    let found: Run | null;
    try {
      found = await this.findRun(ctx, config, gh, state.intentAt);
    } catch (error) {
      return this.transient(ctx, state, `could not list the workflow's runs: ${gitHubFailure(error)}`, error);
    }
    if (found) return this.adopt(config, state, found, 'Found the dispatched run');
    if (state.unknownSince !== null && now - Date.parse(state.unknownSince) < FIND_GRACE_MS) {
      return {
        outcome: 'progress',
        started: false,
        state,
        nextRunAt: new Date(now + FIND_RETRY_MS),
      };
    }
    if (state.dispatches >= MAX_DISPATCHES) {
      return {
        outcome: 'failed',
        state,
        message: `Workflow ${config.workflow} did not start after ${state.dispatches} dispatches`,
      };
    }
    return this.dispatch(ctx, config, gh, state);
  }

  async poll(ctx: DriverContext): Promise<DriverStep> {
    const state = readState(ctx.state);
    if (state.runId === null) return this.start(ctx);
    const setup = await this.setup(ctx);
    if ('problem' in setup) return { outcome: 'failed', state, message: setup.problem };
    if ('trouble' in setup) return this.transient(ctx, state, setup.trouble, setup.error);
    const { config, gh } = setup;
    let run: Run;
    try {
      const { data } = await gh.idempotent.request('GET /repos/{owner}/{repo}/actions/runs/{run_id}', {
        owner: config.owner,
        repo: config.repo,
        run_id: state.runId,
        request: { signal: ctx.signal },
      });
      run = data;
    } catch (error) {
      return this.transient(ctx, state, `could not read run ${state.runId}: ${gitHubFailure(error)}`, error);
    }
    return this.follow(ctx, config, { ...state, transientFailures: 0 }, run);
  }

  async cancel(ctx: DriverContext): Promise<void> {
    const state = readState(ctx.state);
    const setup = await this.setup(ctx);
    if (!('gh' in setup)) return;
    const { config, gh } = setup;
    let runId = state.runId;
    if (runId === null && state.intentAt !== null) {
      const found = await this.findRun(ctx, config, gh, state.intentAt).catch(() => null);
      runId = found ? Number(found.id) : null;
    }
    if (runId === null) return;
    try {
      // Not retried on a 409 (finished already): the runner asks once, best effort.
      await gh.nonIdempotent.request('POST /repos/{owner}/{repo}/actions/runs/{run_id}/cancel', {
        owner: config.owner,
        repo: config.repo,
        run_id: runId,
        request: { signal: ctx.signal },
      });
    } catch (error) {
      // 409: it finished already; nothing to cancel.
      if (!(error instanceof RequestError && error.status === 409)) throw error;
    }
  }

  private async setup(ctx: DriverContext): Promise<Setup> {
    const config = parseGitHubActionsConfig(ctx.stage.driverConfig);
    if (!config) return { problem: 'The stage has no valid GitHub Actions settings' };
    if (!this.github.configured) {
      return { problem: 'GitHub is not configured (FLIGHTDECK_GITHUB_APP_ID or FLIGHTDECK_GITHUB_TOKEN)' };
    }
    try {
      return { config, gh: await this.github.forRepository({ owner: config.owner, repo: config.repo }) };
    } catch (error) {
      const problem = permanentSetupProblem(config, error);
      if (problem !== null) return { problem };
      return {
        trouble: `could not authenticate for ${config.owner}/${config.repo}: ${gitHubFailure(error)}`,
        error,
      };
    }
  }

  private async dispatch(
    ctx: DriverContext,
    config: GitHubActionsConfig,
    gh: GitHubClients,
    state: ActionsState,
  ): Promise<DriverStep> {
    const sent: ActionsState = { ...state, dispatches: state.dispatches + 1 };
    const inputs = dispatchInputs(config, {
      environment: ctx.stage.environmentSlug,
      version: ctx.release.version,
      sha: ctx.release.commitSha,
      deploymentId: ctx.deployment.id,
    });
    try {
      // Never retried by the client: a second request would start a second run.
      const response = await gh.nonIdempotent.request(
        'POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches',
        {
          owner: config.owner,
          repo: config.repo,
          workflow_id: config.workflow,
          ref: config.ref,
          inputs,
          return_run_details: true,
          request: { signal: ctx.signal },
        },
      );
      if (response.status === 200 && response.data) {
        const { workflow_run_id: id, html_url: url } = response.data;
        return this.adopt(
          config,
          sent,
          { id, html_url: url, status: 'queued', conclusion: null, run_number: 0 },
          'Dispatched',
        );
      }
      // GitHub Enterprise Server without run details answers 204: find the run by its run-name.
      return this.unknown(ctx, sent, 'dispatched; looking for its run');
    } catch (error) {
      // Refused by a rate limit (after the client's own waiting): GitHub did not carry it out, so it
      // is not counted as sent; the next turn still looks for the run before dispatching.
      if (isRateLimited(error)) {
        const why = `GitHub's rate limit held back the dispatch of ${config.workflow} (${gitHubFailure(error)})`;
        return this.transient(ctx, state, why, error);
      }
      if (error instanceof RequestError && error.status >= 400 && error.status < 500) {
        return {
          outcome: 'failed',
          state: sent,
          message: `GitHub refused to dispatch ${config.workflow}: ${gitHubFailure(error)}`,
        };
      }
      // A timeout, a lost connection or a 5xx: the run may exist. Look for it before sending again.
      return this.unknown(ctx, sent, `the dispatch's outcome is unknown (${gitHubFailure(error)})`);
    }
  }

  private unknown(ctx: DriverContext, state: ActionsState, why: string): DriverStep {
    const now = Math.max(ctx.now.getTime(), Date.now());
    return {
      outcome: 'progress',
      started: false,
      state: { ...state, unknownSince: new Date(now).toISOString() },
      nextRunAt: new Date(now + FIND_RETRY_MS),
      message: `Workflow dispatch ${state.dispatches}: ${why}`,
    };
  }

  // The run this deployment dispatched: same workflow, dispatched since the intent, and its
  // run-name carries the deployment id.
  private async findRun(
    ctx: DriverContext,
    config: GitHubActionsConfig,
    gh: GitHubClients,
    intentAt: string,
  ): Promise<Run | null> {
    const since = new Date(Date.parse(intentAt) - CLOCK_SKEW_MS).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const { data } = await gh.idempotent.request(
      'GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs',
      {
        owner: config.owner,
        repo: config.repo,
        workflow_id: config.workflow,
        event: 'workflow_dispatch',
        created: `>=${since}`,
        per_page: 100,
        request: { signal: ctx.signal },
      },
    );
    return data.workflow_runs.find((run) => run.display_title.includes(ctx.deployment.id)) ?? null;
  }

  private adopt(config: GitHubActionsConfig, state: ActionsState, run: Run, verb: string): DriverStep {
    const next: ActionsState = { ...state, runId: Number(run.id), runUrl: run.html_url, unknownSince: null };
    return {
      outcome: 'progress',
      started: true,
      state: next,
      nextRunAt: new Date(Date.now() + config.pollIntervalSeconds * 1000),
      message: `${verb}: ${config.workflow} run ${run.id}`,
      externalId: String(run.id),
      url: run.html_url,
    };
  }

  private follow(ctx: DriverContext, config: GitHubActionsConfig, state: ActionsState, run: Run): DriverStep {
    const runName = `${config.workflow} run #${run.run_number}`;
    const next = { ...state, runUrl: run.html_url };
    if (run.status === 'completed') {
      if (run.conclusion === 'success') {
        return {
          outcome: 'succeeded',
          state: next,
          message: `${runName} succeeded`,
          externalId: String(run.id),
          url: run.html_url,
        };
      }
      return {
        outcome: 'failed',
        state: next,
        message: `${runName} ended ${run.conclusion ?? 'without a conclusion'}: ${run.html_url}`,
      };
    }
    const report = `${runName} is ${(run.status ?? 'queued').replace('_', ' ')}`;
    return {
      outcome: 'progress',
      started: true,
      state: { ...next, lastReport: report },
      nextRunAt: new Date(Math.max(ctx.now.getTime(), Date.now()) + config.pollIntervalSeconds * 1000),
      ...(report !== state.lastReport ? { message: report } : {}),
      externalId: String(run.id),
      url: run.html_url,
    };
  }

  // GitHub unreachable or rate limiting for a moment: try again later (not sooner than a rate limit
  // asks); the stage deadline bounds how long.
  private transient(ctx: DriverContext, state: ActionsState, why: string, error?: unknown): DriverStep {
    const failures = state.transientFailures + 1;
    const now = Math.max(ctx.now.getTime(), Date.now());
    const backoff = Math.min(MAX_TRANSIENT_BACKOFF_S, 2 ** Math.min(failures, 6));
    const delay = Math.max(backoff, rateLimitWaitSeconds(error, new Date(now)));
    return {
      outcome: 'progress',
      started: state.runId !== null,
      state: { ...state, transientFailures: failures },
      nextRunAt: new Date(now + delay * 1000),
      message: `GitHub Actions: ${why}; trying again in ${delay} s`,
    };
  }
}
