import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { sandboxConfigSchema } from '@flightdeck/contracts';
import type { DeployDriver, DriverContext, DriverStep } from './driver.js';

// How often a sandbox deployment reports while it rolls out.
const PROGRESS_EVERY_MS = 5_000;

// A number in [0, 1) fixed by the deployment id: the same deployment has the same fate after a restart.
export function fateOf(deploymentId: string): number {
  return createHash('sha256').update(deploymentId).digest().readUInt32BE(0) / 2 ** 32;
}

interface SandboxState {
  readonly finishAt: string;
  readonly outcome: 'succeeded' | 'failed';
  readonly health: 'healthy' | 'degraded' | 'missing';
}

// The built-in simulated target (like Grafana's TestData): takes the configured time, fails at the
// configured rate, reports the configured health. It powers the demo and needs nothing outside.
@Injectable()
export class SandboxDriver implements DeployDriver {
  readonly kind = 'sandbox' as const;

  start(ctx: DriverContext): Promise<DriverStep> {
    return Promise.resolve(this.begin(ctx));
  }

  poll(ctx: DriverContext): Promise<DriverStep> {
    return Promise.resolve(this.check(ctx));
  }

  private begin(ctx: DriverContext): DriverStep {
    const parsed = sandboxConfigSchema.safeParse(ctx.stage.driverConfig ?? {});
    if (!parsed.success) {
      return {
        outcome: 'failed',
        state: {},
        message: `Sandbox settings of this stage are invalid: ${parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ')}`,
      };
    }
    const config = parsed.data;
    // Timed from the stored start intent, not from this call: a start repeated after its answer was
    // lost resumes the same simulated rollout instead of beginning another.
    const began = ctx.intent?.at ?? ctx.now;
    const state: SandboxState = {
      finishAt: new Date(began.getTime() + config.durationSeconds * 1000).toISOString(),
      outcome: fateOf(ctx.deployment.id) < config.failureRate ? 'failed' : 'succeeded',
      health: config.health,
    };
    return {
      outcome: 'progress',
      started: true,
      state: { ...state },
      externalId: `sandbox-${ctx.deployment.id.slice(0, 8)}`,
      message: ctx.intent?.resumed
        ? `Sandbox: resuming the rollout of ${ctx.release.version} to ${ctx.stage.environmentSlug} (an earlier start's answer was lost)`
        : `Sandbox: rolling out ${ctx.release.version} to ${ctx.stage.environmentSlug} (about ${config.durationSeconds} s)`,
      nextRunAt: next(ctx.now, new Date(state.finishAt)),
    };
  }

  private check(ctx: DriverContext): DriverStep {
    const state = ctx.state as SandboxState | null;
    if (!state?.finishAt) return this.begin(ctx);
    const finishAt = new Date(state.finishAt);
    if (ctx.now < finishAt) {
      return { outcome: 'progress', started: true, state: { ...state }, nextRunAt: next(ctx.now, finishAt) };
    }
    if (state.outcome === 'failed') {
      return {
        outcome: 'failed',
        state: { ...state },
        message: `Sandbox: ${ctx.release.version} failed to roll out (simulated failure)`,
      };
    }
    return {
      outcome: 'succeeded',
      state: { ...state },
      message: `Sandbox: ${ctx.release.version} is live on ${ctx.stage.environmentSlug}`,
      health: {
        status: state.health,
        message:
          state.health === 'healthy' ? '' : `sandbox: simulated ${state.health} health after the rollout`,
      },
    };
  }
}

function next(now: Date, finishAt: Date): Date {
  return new Date(Math.min(finishAt.getTime(), now.getTime() + PROGRESS_EVERY_MS));
}
