import { Inject, Injectable } from '@nestjs/common';
import type { HealthStatus } from '@flightdeck/contracts';
import type { Logger } from 'pino';
import { describeError } from '../common/describe-error.js';
import { PrismaService } from '../database/prisma.service.js';
import type { DeploymentRow } from '../deployments/deployments.repository.js';
import { DeploymentTransitions } from '../deployments/transitions.service.js';
import type { DriverStep, JsonObject, StartIntent } from '../drivers/driver.js';
import { DriverRegistry } from '../drivers/driver-registry.js';
import type { Prisma } from '../generated/prisma/client.js';
import { LOGGER } from '../logging/logger.js';
import { deploymentInclude } from '../deployments/deployments.repository.js';
import { RollbackService } from '../deployments/rollback.service.js';
import { parseVerificationConfig, Verifier } from '../verification/verifier.js';
import { summarizeVerdict, type VerificationState } from '../verification/verdict.js';
import { deploymentForDriverInclude, driverContext, type DeploymentForDriver } from './driver-context.js';
import { RUNNER_ACTOR } from './housekeeping.service.js';

// A start sent (or about to be) whose answer is not recorded yet.
interface StoredIntent {
  readonly key: string;
  readonly at: string;
}

// What the runner keeps per deployment: whether the external deployment exists, the driver's state,
// and the start intent while a start's answer is outstanding.
interface StoredState {
  readonly started: boolean;
  readonly driver: JsonObject | null;
  readonly health?: { readonly status: HealthStatus; readonly message: string } | null;
  readonly intent?: StoredIntent | null;
}

const RETRY_AFTER_ERROR_MS = 5_000;
// A deployment moves through at most queued → running → verifying → succeeded in one drive.
const MAX_STEPS = 4;

function stored(value: unknown): StoredState {
  const object = (value ?? {}) as Partial<StoredState>;
  const intent = object.intent;
  return {
    started: object.started === true,
    driver: object.driver ?? null,
    health: object.health ?? null,
    intent: intent && typeof intent.key === 'string' && typeof intent.at === 'string' ? intent : null,
  };
}

const asJson = (value: unknown) => value as Prisma.InputJsonValue;

// Drives one claimed deployment as far as it can go now. Intent is recorded before each driver call and
// the result after, always as a compare-and-set under this runner's lease: if the lease was lost (the
// process stalled past it and another runner took over) nothing is written.
@Injectable()
export class DeploymentStepper {
  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(DeploymentTransitions) private readonly transitions: DeploymentTransitions,
    @Inject(DriverRegistry) private readonly drivers: DriverRegistry,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(Verifier) private readonly verifier: Verifier,
    @Inject(RollbackService) private readonly rollbacks: RollbackService,
  ) {}

  async drive(id: string, owner: string, signal: AbortSignal): Promise<void> {
    for (let step = 0; step < MAX_STEPS && !signal.aborted; step++) {
      const deployment = await this.prisma.deployment.findUnique({
        where: { id },
        include: deploymentForDriverInclude,
      });
      if (!deployment || deployment.leaseOwner !== owner) return;
      const state = stored(deployment.driverState);

      if (deployment.status === 'queued') {
        const row = await this.transition(id, owner, 'queued', 'running', {
          message: `Starting on ${deployment.stage.driverKind === 'sandbox' ? 'the sandbox (simulated target)' : deployment.stage.driverKind}`,
          patch: { driverState: asJson({ started: false, driver: null }) },
        });
        if (!row) return;
        continue;
      }

      if (deployment.status === 'verifying') {
        await this.verify(deployment, owner, state, signal);
        return;
      }

      if (deployment.status !== 'running') return;
      const driver = this.drivers.get(deployment.stage.driverKind);
      if (!driver) {
        await this.transition(id, owner, 'running', 'failed', {
          message: `This Flightdeck has no ${deployment.stage.driverKind} driver yet; configure the stage with another driver`,
          patch: { error: `No ${deployment.stage.driverKind} driver` },
        });
        return;
      }
      let intent: StartIntent | null = null;
      if (!state.started) {
        // Stored before the start is sent, so a start whose answer is lost is resumed, not repeated.
        intent = state.intent
          ? { key: state.intent.key, at: new Date(state.intent.at), resumed: true }
          : await this.storeIntent(id, owner, state);
        if (!intent) return;
      }
      const ctx = driverContext(deployment, { started: state.started, state: state.driver, intent }, signal);
      let result: DriverStep;
      try {
        result = state.started
          ? await driver.poll(ctx)
          : deployment.kind === 'rollback' && driver.rollback
            ? await driver.rollback(ctx)
            : await driver.start(ctx);
      } catch (error) {
        if (signal.aborted) return;
        // A driver bug or an unexpected answer: try again shortly; the deadline bounds the retries.
        this.logger.warn({ deploymentId: id, error: describeError(error) }, 'driver call failed');
        result = {
          outcome: 'progress',
          started: state.started,
          state: state.driver ?? {},
          nextRunAt: new Date(Date.now() + RETRY_AFTER_ERROR_MS),
          message: `The ${deployment.stage.driverKind} driver failed unexpectedly (${describeError(error).message}); retrying`,
        };
      }
      // Stopping: the answer may be partial; the stored intent makes the next runner look it up.
      if (signal.aborted) return;
      const done = await this.record(id, owner, state, result);
      if (done) return;
    }
  }

  // After the driver reported done: the stage's checks decide, over its window, round by round.
  private async verify(
    deployment: DeploymentForDriver & { verification: unknown },
    owner: string,
    state: StoredState,
    signal: AbortSignal,
  ): Promise<void> {
    const id = deployment.id;
    const config = parseVerificationConfig(deployment.stage.verification);
    const health = state.health ?? null;
    if (!this.verifier.configured(config)) {
      const row = await this.transition(id, owner, 'verifying', 'succeeded', {
        message:
          health && health.status !== 'healthy' && health.status !== 'unknown'
            ? `Deployed; the stage reports ${health.status}${health.message ? `: ${health.message}` : ''}`
            : 'Deployed; no verification checks configured for this stage',
        health: health ?? { status: 'unknown', message: '' },
      });
      if (row) await this.rollbacks.clearHoldsBelow(deployment.stageId, deployment.release);
      return;
    }
    const previous = (deployment.verification ?? null) as VerificationState | null;
    const next = await this.verifier.round(config, previous, health, signal);
    if (signal.aborted) return;
    if (next.outcome === 'running') {
      const updated = await this.prisma.$transaction(async (tx) => {
        const { count } = await tx.deployment.updateMany({
          where: { id, status: 'verifying', leaseOwner: owner },
          data: {
            verification: asJson(next),
            nextRunAt: new Date(Date.now() + config.intervalSeconds * 1000),
          },
        });
        if (count > 0 && !previous) {
          const checks = next.checks.length;
          await this.transitions.note(
            tx,
            id,
            'verifying',
            `Verifying: ${checks} check${checks === 1 ? '' : 's'} until ${next.until.slice(11, 19)} UTC`,
            RUNNER_ACTOR,
          );
        }
        return count > 0 ? tx.deployment.findUnique({ where: { id }, include: deploymentInclude }) : null;
      });
      if (updated) await this.transitions.publish(updated);
      return;
    }
    const verdict = summarizeVerdict(next);
    if (next.outcome === 'passed') {
      const row = await this.transition(id, owner, 'verifying', 'succeeded', {
        message: verdict,
        patch: { verification: asJson(next) },
        health: health ?? { status: 'healthy', message: '' },
      });
      if (row) await this.rollbacks.clearHoldsBelow(deployment.stageId, deployment.release);
      return;
    }
    const failed = await this.transition(id, owner, 'verifying', 'failed', {
      message: verdict,
      patch: { verification: asJson(next), error: verdict },
    });
    // A failed rollback is not rolled back again: that would walk back through history on its own.
    if (!failed || !deployment.stage.autoRollback || deployment.kind === 'rollback') return;
    const rollback = await this.rollbacks.rollbackAutomatically(
      deployment.stageId,
      `${deployment.release.version} failed verification: ${verdict.replace(/^Verification failed: /, '')}`,
    );
    await this.prisma.$transaction((tx) =>
      this.transitions.note(
        tx,
        id,
        'failed',
        rollback
          ? `Rolling back automatically to ${rollback.release.version} (deployment ${rollback.id.slice(0, 8)})`
          : 'Automatic rollback is on, but no earlier release that is not held or quarantined succeeded here',
        RUNNER_ACTOR,
      ),
    );
  }

  // The start intent, written under this runner's lease in one statement (no interactive transaction
  // to time out); null when the lease or the status moved on.
  private async storeIntent(id: string, owner: string, state: StoredState): Promise<StartIntent | null> {
    const at = new Date();
    const intent: StoredIntent = { key: id, at: at.toISOString() };
    const { count } = await this.prisma.deployment.updateMany({
      where: { id, status: 'running', leaseOwner: owner },
      data: { driverState: asJson({ started: false, driver: state.driver, intent }) },
    });
    return count > 0 ? { key: intent.key, at, resumed: false } : null;
  }

  // Writes what a driver call came to (which also clears the start intent: its answer is recorded);
  // true when there is nothing more to do right now.
  private async record(id: string, owner: string, state: StoredState, step: DriverStep): Promise<boolean> {
    const driverFields = {
      ...('externalId' in step && step.externalId ? { driverExternalId: step.externalId } : {}),
      ...('url' in step && step.url ? { driverUrl: step.url } : {}),
    };
    if (step.outcome === 'progress') {
      await this.prisma.$transaction(async (tx) => {
        const { count } = await tx.deployment.updateMany({
          where: { id, status: 'running', leaseOwner: owner },
          data: {
            ...driverFields,
            driverState: asJson({ started: step.started, driver: step.state }),
            nextRunAt: step.nextRunAt,
          },
        });
        if (count > 0 && step.message) {
          await this.transitions.note(tx, id, 'running', step.message, RUNNER_ACTOR);
        }
      });
      return true;
    }
    if (step.outcome === 'succeeded') {
      const row = await this.transition(id, owner, 'running', 'verifying', {
        message: step.message,
        patch: {
          ...driverFields,
          driverState: asJson({ started: true, driver: step.state, health: step.health ?? null }),
          nextRunAt: new Date(),
        },
      });
      return row === null;
    }
    await this.transition(id, owner, 'running', step.outcome, {
      message: step.message,
      patch: { error: step.message, driverState: asJson({ ...state, intent: null, driver: step.state }) },
    });
    return true;
  }

  private async transition(
    id: string,
    owner: string,
    from: 'queued' | 'running' | 'verifying',
    to: 'running' | 'verifying' | 'succeeded' | 'failed' | 'timed_out',
    fields: {
      message: string;
      patch?: Parameters<DeploymentTransitions['apply']>[1]['patch'];
      health?: Parameters<DeploymentTransitions['apply']>[1]['health'];
    },
  ): Promise<DeploymentRow | null> {
    const row = await this.prisma.$transaction((tx) =>
      this.transitions.apply(tx, {
        id,
        from,
        to,
        message: fields.message,
        actor: RUNNER_ACTOR,
        leaseOwner: owner,
        ...(fields.patch ? { patch: fields.patch } : {}),
        ...(fields.health ? { health: fields.health } : {}),
      }),
    );
    if (row) await this.transitions.publish(row);
    return row;
  }
}
