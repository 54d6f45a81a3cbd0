import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { SecretBox } from '../../secrets/secret-box.js';
import type { DeployDriver, DriverContext, DriverStep } from '../driver.js';
import type { ArgoApplication } from './argocd-api.js';
import { ArgoCdClient, ArgoCdError } from './argocd-client.js';
import {
  argoTarget,
  type ArgoStoredConfig,
  openArgoToken,
  parseArgoConfig,
  short,
  sourceDeploys,
} from './argocd-config.js';
import { argoHealth, autoSyncOn, operationInProgress, syncWindowReason } from './argocd-status.js';

// The sync request carries the deployment id as operation info, so Flightdeck recognises its own
// operation (and a start repeated after a crash does not sync twice).
export const ARGO_INFO_NAME = 'flightdeck.deployment';
const MAX_BACKOFF_SECONDS = 30;
// Without a stage deadline, transient failures of a start end it after this many attempts.
const MAX_ATTEMPTS_WITHOUT_DEADLINE = 6;
// Argo CD's clock and ours differ, and its timestamps have whole seconds.
const CLOCK_SKEW_MS = 5_000;

const stateSchema = z.object({
  // How the release is being deployed: a sync, a native rollback, or a sync standing in for one.
  path: z.enum(['sync', 'rollback', 'sync-fallback']).nullable().catch(null),
  describe: z.string().nullable().catch(null),
  historyId: z.number().int().nullable().catch(null),
  // operationState.startedAt before our request: a rollback's operation is the first one after it.
  baselineStartedAt: z.string().nullable().catch(null),
  // Found deploying the release after a start whose answer was lost: followed like a rollback (by
  // baselineStartedAt), since it may carry no info of ours (a native rollback, an auto-sync).
  observed: z.boolean().catch(false),
  // Consecutive transient failures (5xx, timeouts) and what they were.
  failures: z.array(z.enum(['timeout', 'unavailable'])).catch([]),
  lastError: z.string().nullable().catch(null),
  // The last progress message written, so polls do not repeat it.
  lastReport: z.string().nullable().catch(null),
});
type ArgoState = z.infer<typeof stateSchema>;

const EMPTY: ArgoState = {
  path: null,
  describe: null,
  historyId: null,
  baselineStartedAt: null,
  observed: false,
  failures: [],
  lastError: null,
  lastReport: null,
};

function readState(raw: unknown): ArgoState {
  return raw && typeof raw === 'object' ? stateSchema.parse({ ...EMPTY, ...raw }) : EMPTY;
}

type Setup =
  { readonly config: ArgoStoredConfig; readonly client: ArgoCdClient } | { readonly problem: string };

function backoffSeconds(attempt: number): number {
  return Math.min(MAX_BACKOFF_SECONDS, 2 ** Math.max(0, attempt - 1));
}

function hasOurInfo(app: ArgoApplication, deploymentId: string, where: 'requested' | 'state'): boolean {
  const infos = where === 'requested' ? app.operation?.info : app.status?.operationState?.operation?.info;
  return (infos ?? []).some((info) => info.name === ARGO_INFO_NAME && info.value === deploymentId);
}

// Drives an Argo CD application: syncs it to the release (or rolls it back by history id), follows the
// operation and the application's health, waits out other operations and closed sync windows, and
// terminates the operation on cancel. Never touches the database.
@Injectable()
export class ArgoCdDriver implements DeployDriver {
  readonly kind = 'argocd' as const;

  constructor(@Inject(SecretBox) private readonly secrets: SecretBox) {}

  start(ctx: DriverContext): Promise<DriverStep> {
    return this.begin(ctx, false);
  }

  rollback(ctx: DriverContext): Promise<DriverStep> {
    return this.begin(ctx, true);
  }

  async poll(ctx: DriverContext): Promise<DriverStep> {
    const setup = this.setup(ctx);
    const state = readState(ctx.state);
    if ('problem' in setup) return { outcome: 'failed', state, message: setup.problem };
    const { config, client } = setup;
    const name = config.application;
    let app: ArgoApplication;
    try {
      app = await client.getApplication(name);
    } catch (error) {
      return this.trouble(ctx, config, state, error, true);
    }
    const settled = { ...state, failures: [], lastError: null };
    const op = app.status?.operationState;
    if (!op || !this.isOurs(app, state, ctx.deployment.id)) {
      return this.report(ctx, config, settled, true, `Waiting for Argo CD to start the operation on ${name}`);
    }
    const said = op.message ? `: ${op.message}` : '';
    switch (op.phase) {
      case 'Failed':
      case 'Error':
        return {
          outcome: 'failed',
          state: settled,
          message: `Argo CD ${this.operationName(state)} of ${name} ended ${op.phase}${said}`,
        };
      case 'Succeeded':
        break;
      case 'Terminating':
        return this.report(
          ctx,
          config,
          settled,
          true,
          `Argo CD is terminating the operation on ${name}${said}`,
        );
      default:
        return this.report(
          ctx,
          config,
          settled,
          true,
          `Argo CD is syncing ${name} (${op.phase ?? 'Running'}${said})`,
        );
    }
    const revision = op.syncResult?.revision;
    if (!sourceDeploys(config, ctx.release, revision, op.syncResult?.source ?? app.spec?.source)) {
      return {
        outcome: 'failed',
        state: settled,
        message: `Argo CD synced ${name} to ${revision ? short(revision) : 'an unknown revision'}, not ${state.describe ?? ctx.release.version}`,
      };
    }
    const health = argoHealth(app);
    const healthSaid = health.message ? `: ${health.message}` : '';
    if (health.status === 'healthy') {
      return {
        outcome: 'succeeded',
        state: settled,
        message: `Argo CD ${this.operationName(state)} succeeded; ${name} is Healthy on ${revision ? short(revision) : ctx.release.version}`,
        health: {
          status: 'healthy',
          message: health.message || `Healthy on ${revision ? short(revision) : ctx.release.version}`,
        },
        externalId: name,
        url: client.applicationUrl(name),
      };
    }
    if (health.status === 'degraded') {
      return {
        outcome: 'failed',
        state: settled,
        message: `Argo CD synced ${name} but it is Degraded${healthSaid}`,
      };
    }
    return this.report(
      ctx,
      config,
      settled,
      true,
      `Argo CD synced ${name}; waiting for it to become Healthy (${health.status}${healthSaid})`,
    );
  }

  // Best effort: stops our operation if it is still running.
  async cancel(ctx: DriverContext): Promise<void> {
    const setup = this.setup(ctx);
    if ('problem' in setup) return;
    const state = readState(ctx.state);
    const { config, client } = setup;
    try {
      const app = await client.getApplication(config.application);
      const ours =
        this.isOurs(app, state, ctx.deployment.id) || hasOurInfo(app, ctx.deployment.id, 'requested');
      if (ours && operationInProgress(app)) await client.terminateOperation(config.application);
    } catch {
      // The deployment ends cancelled or timed out whatever Argo CD answers.
    }
  }

  private async begin(ctx: DriverContext, wantRollback: boolean): Promise<DriverStep> {
    const setup = this.setup(ctx);
    const state = readState(ctx.state);
    if ('problem' in setup) return { outcome: 'failed', state, message: setup.problem };
    const { config, client } = setup;
    const name = config.application;
    try {
      const app = await client.getApplication(name);
      // A start repeated after a crash: the sync was already requested.
      if (hasOurInfo(app, ctx.deployment.id, 'requested') || hasOurInfo(app, ctx.deployment.id, 'state')) {
        return this.started(
          ctx,
          config,
          client,
          state,
          `Argo CD already has this deployment's sync of ${name}`,
        );
      }
      const observed = ctx.intent?.resumed ? this.observe(ctx, config, app, state) : null;
      if (observed) {
        return this.started(
          ctx,
          config,
          client,
          observed,
          `Argo CD is already deploying ${ctx.release.version} to ${name} (an earlier start's answer was lost); following it`,
        );
      }
      const closed = syncWindowReason(await client.syncWindows(name));
      if (closed) {
        return this.report(
          ctx,
          config,
          state,
          false,
          `Waiting: Argo CD does not allow syncing ${name} now (${closed})`,
        );
      }
      const running = operationInProgress(app);
      if (running) {
        return this.report(
          ctx,
          config,
          state,
          false,
          `Waiting for Argo CD's current operation on ${name} to finish (${running})`,
        );
      }
      const baseline = { ...state, baselineStartedAt: app.status?.operationState?.startedAt ?? null };
      if (!wantRollback) return await this.sync(ctx, config, client, app, baseline, 'sync', null);

      const target = argoTarget(config, ctx.release, app.spec?.source ?? null);
      const entry = [...(app.status?.history ?? [])]
        .reverse()
        .find((h) => sourceDeploys(config, ctx.release, h.revision, h.source));
      // Argo refuses rollback while auto-sync is on, so we sync to the revision instead.
      if (autoSyncOn(app)) {
        return await this.sync(
          ctx,
          config,
          client,
          app,
          baseline,
          'sync-fallback',
          'Argo CD refuses rollback while auto-sync is on',
        );
      }
      if (!entry) {
        return await this.sync(
          ctx,
          config,
          client,
          app,
          baseline,
          'sync-fallback',
          `${target.describe} is no longer in the application's history`,
        );
      }
      try {
        await client.rollback(name, { id: entry.id, prune: config.prune, dryRun: false });
      } catch (error) {
        if (
          error instanceof ArgoCdError &&
          error.kind === 'refused' &&
          /auto-sync/i.test(error.argoMessage)
        ) {
          return await this.sync(
            ctx,
            config,
            client,
            app,
            baseline,
            'sync-fallback',
            `Argo CD refused the rollback (${error.argoMessage})`,
          );
        }
        throw error;
      }
      const revision = entry.revision ? ` (revision ${short(entry.revision)})` : '';
      return this.started(
        ctx,
        config,
        client,
        { ...baseline, path: 'rollback', historyId: entry.id, describe: target.describe },
        `Rolling back ${name} with Argo CD to history id ${entry.id}${revision}`,
      );
    } catch (error) {
      return this.trouble(ctx, config, state, error, false);
    }
  }

  private async sync(
    ctx: DriverContext,
    config: ArgoStoredConfig,
    client: ArgoCdClient,
    app: ArgoApplication,
    state: ArgoState,
    path: 'sync' | 'sync-fallback',
    why: string | null,
  ): Promise<DriverStep> {
    const name = config.application;
    const target = argoTarget(config, ctx.release, app.spec?.source ?? null);
    let patch = target.patch;
    const auto = autoSyncOn(app);
    // With auto-sync on, Argo syncs only to the target revision, so the target revision is moved.
    if (target.revision && auto && app.spec?.source?.targetRevision !== target.revision) {
      patch = { spec: { source: { targetRevision: target.revision } } };
    }
    if (patch) await client.patch(name, patch);
    await client.sync(name, {
      ...(target.revision ? { revision: target.revision } : {}),
      prune: config.prune,
      dryRun: false,
      ...(config.syncOptions.length > 0 ? { syncOptions: { items: config.syncOptions } } : {}),
      infos: [{ name: ARGO_INFO_NAME, value: ctx.deployment.id }],
    });
    const moved =
      patch && target.revision
        ? ' (target revision moved, as auto-sync is on)'
        : patch
          ? ' (source updated)'
          : '';
    const message =
      path === 'sync-fallback'
        ? `${why ?? 'No native rollback'}; syncing ${name} to ${target.describe} instead${moved}`
        : `Argo CD sync of ${name} to ${target.describe} started${moved}`;
    return this.started(ctx, config, client, { ...state, path, describe: target.describe }, message);
  }

  private started(
    ctx: DriverContext,
    config: ArgoStoredConfig,
    client: ArgoCdClient,
    state: ArgoState,
    message: string,
  ): DriverStep {
    return {
      outcome: 'progress',
      started: true,
      state: { ...state, failures: [], lastError: null, lastReport: message },
      nextRunAt: this.next(ctx, config.pollIntervalSeconds),
      message,
      externalId: config.application,
      url: client.applicationUrl(config.application),
    };
  }

  // A progress step that writes its message only when it changed since the last one.
  private report(
    ctx: DriverContext,
    config: ArgoStoredConfig,
    state: ArgoState,
    started: boolean,
    message: string,
    delaySeconds = config.pollIntervalSeconds,
  ): DriverStep {
    return {
      outcome: 'progress',
      started,
      state: { ...state, lastReport: message },
      nextRunAt: this.next(ctx, delaySeconds),
      ...(message !== state.lastReport ? { message } : {}),
    };
  }

  // What an error from Argo CD means for this deployment: fail with the reason, or wait and retry.
  private trouble(
    ctx: DriverContext,
    config: ArgoStoredConfig,
    state: ArgoState,
    error: unknown,
    started: boolean,
  ): DriverStep {
    if (!(error instanceof ArgoCdError)) throw error;
    const name = config.application;
    switch (error.kind) {
      case 'aborted':
        return { outcome: 'progress', started, state, nextRunAt: ctx.now };
      case 'unauthorized':
      case 'forbidden':
      case 'not_found':
      case 'refused':
        return { outcome: 'failed', state: { ...state, lastError: error.message }, message: error.message };
      case 'window':
        return this.report(
          ctx,
          config,
          state,
          started,
          `Waiting: Argo CD does not allow syncing ${name} now (${error.argoMessage})`,
        );
      case 'busy':
        return this.report(
          ctx,
          config,
          state,
          started,
          `Waiting: another Argo CD operation is in progress on ${name}; trying again`,
        );
      case 'unavailable':
      case 'timeout': {
        const failures = [...state.failures, error.kind];
        const attempt = failures.length;
        const delay = backoffSeconds(attempt);
        const next = this.next(ctx, delay);
        const out = { ...state, failures, lastError: error.message };
        // The next attempt must be able to finish (or time out) before the deadline.
        const pastDeadline = ctx.deployment.deadlineAt
          ? next.getTime() + config.timeoutSeconds * 1000 >= ctx.deployment.deadlineAt.getTime()
          : attempt >= MAX_ATTEMPTS_WITHOUT_DEADLINE;
        // Before Argo CD has the deployment, give up with the reason rather than at the deadline.
        if (!started && pastDeadline) {
          const onAll = attempt === 1 ? 'on the only attempt' : `on all ${attempt} attempts`;
          return failures.every((f) => f === 'timeout')
            ? {
                outcome: 'timed_out',
                state: out,
                message: `${error.message} ${onAll} before the stage's deadline`,
              }
            : {
                outcome: 'failed',
                state: out,
                message: `Argo CD failed ${onAll} before the stage's deadline; last: ${error.message}`,
              };
        }
        return {
          outcome: 'progress',
          started,
          state: { ...out, lastReport: null },
          nextRunAt: next,
          message: `${started ? 'Checking on' : 'Attempt ' + attempt + ' to start'} ${name}: ${error.message}; retrying in ${delay} s`,
        };
      }
    }
  }

  private isOurs(app: ArgoApplication, state: ArgoState, deploymentId: string): boolean {
    if (hasOurInfo(app, deploymentId, 'state')) return true;
    // A rollback request carries no info: its operation is the first to start after our request.
    const op = app.status?.operationState;
    return (
      (state.path === 'rollback' || state.observed) &&
      !!op &&
      (op.startedAt ?? null) !== state.baselineStartedAt
    );
  }

  // After a lost answer, an operation that deploys this release and is requested, running, or
  // finished since the intent was ours (a native rollback carries no info; with auto-sync on, Argo CD
  // may have started the sync itself after our patch): it is followed, never started a second time.
  private observe(
    ctx: DriverContext,
    config: ArgoStoredConfig,
    app: ArgoApplication,
    state: ArgoState,
  ): ArgoState | null {
    const op = app.status?.operationState;
    const describe = argoTarget(config, ctx.release, app.spec?.source ?? null).describe;
    if (app.operation) {
      const revision = app.operation.sync?.revision ?? app.spec?.source?.targetRevision;
      if (!sourceDeploys(config, ctx.release, revision, app.spec?.source)) return null;
      // Requested, not picked up yet: ours is the next operation to start.
      return { ...state, path: 'sync', describe, observed: true, baselineStartedAt: op?.startedAt ?? null };
    }
    if (!op?.startedAt) return null;
    const revision = op.operation?.sync?.revision ?? op.syncResult?.revision;
    if (!sourceDeploys(config, ctx.release, revision, op.syncResult?.source ?? app.spec?.source)) return null;
    const since = (ctx.intent?.at.getTime() ?? Date.now()) - CLOCK_SKEW_MS;
    if (!operationInProgress(app) && Date.parse(op.startedAt) < since) return null;
    // Running or finished since the intent: this very operation is ours.
    return { ...state, path: 'sync', describe, observed: true, baselineStartedAt: null };
  }

  private operationName(state: ArgoState): string {
    return state.path === 'rollback' ? `rollback to history id ${state.historyId}` : 'sync';
  }

  private next(ctx: DriverContext, seconds: number): Date {
    return new Date(Math.max(ctx.now.getTime(), Date.now()) + seconds * 1000);
  }

  private setup(ctx: DriverContext): Setup {
    const config = parseArgoConfig(ctx.stage.driverConfig);
    if (!config) {
      return { problem: "The stage's Argo CD settings are invalid; save them again in the stage settings" };
    }
    let token: string | null;
    try {
      token = openArgoToken(this.secrets, ctx.stage.id, config);
    } catch {
      return {
        problem:
          'The Argo CD token could not be decrypted (was FLIGHTDECK_SECRET_KEY changed?); set it again in the stage settings',
      };
    }
    if (token === null) return { problem: 'The Argo CD stage has no token; set one in the stage settings' };
    return {
      config,
      client: new ArgoCdClient({
        serverUrl: config.serverUrl,
        token,
        timeoutMs: config.timeoutSeconds * 1000,
        signal: ctx.signal,
        appNamespace: config.appNamespace,
        project: config.project,
      }),
    };
  }
}
