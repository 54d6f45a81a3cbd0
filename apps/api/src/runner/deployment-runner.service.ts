import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { Logger } from 'pino';
import { describeError } from '../common/describe-error.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { isDatabaseUnavailable } from '../database/database-unavailable.js';
import { PrismaService } from '../database/prisma.service.js';
import { DeploymentTransitions } from '../deployments/transitions.service.js';
import { WorkSignal } from '../deployments/work-signal.js';
import type { JsonObject } from '../drivers/driver.js';
import { DriverRegistry } from '../drivers/driver-registry.js';
import { LOGGER } from '../logging/logger.js';
import { CoalescingLoop } from './coalescing-loop.js';
import { ClaimsRepository } from './claims.repository.js';
import { DeploymentStepper } from './deployment-stepper.js';
import { deploymentForDriverInclude, driverContext } from './driver-context.js';
import { HousekeepingService } from './housekeeping.service.js';

const INTERVAL_NAME = 'deployment-runner';
// How long a graceful stop waits for driver calls in flight before leaving them to the lease.
const DRAIN_MS = 10_000;

// Moves deployments along in this process. Ticks come from @nestjs/schedule; work is claimed from
// Postgres with a lease, so any number of replicas can run side by side and a killed process's
// deployments are taken over once its leases expire.
@Injectable()
export class DeploymentRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly owner = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly stopping = new AbortController();
  // Overlapping calls (the interval, a wake-up after a request) fold into one more pass.
  private readonly loop = new CoalescingLoop({
    pass: () => this.pass(),
    onError: (error) => this.failed(error),
    onSuccess: () => this.recovered(),
  });
  private databaseAway = false;
  private renewTimer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private unsubscribeCancels: (() => void) | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(SchedulerRegistry) private readonly scheduler: SchedulerRegistry,
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(ClaimsRepository) private readonly claims: ClaimsRepository,
    @Inject(HousekeepingService) private readonly housekeeping: HousekeepingService,
    @Inject(DeploymentStepper) private readonly stepper: DeploymentStepper,
    @Inject(DeploymentTransitions) private readonly transitions: DeploymentTransitions,
    @Inject(DriverRegistry) private readonly drivers: DriverRegistry,
    @Inject(WorkSignal) private readonly work: WorkSignal,
  ) {}

  private get leaseMs(): number {
    return this.config.runner.leaseSeconds * 1000;
  }

  onApplicationBootstrap(): void {
    if (!this.config.runner.enabled) {
      this.logger.info('deployment runner is off in this process (FLIGHTDECK_RUNNER=false)');
      return;
    }
    const interval = setInterval(() => void this.tick(), this.config.runner.intervalMs);
    this.scheduler.addInterval(INTERVAL_NAME, interval);
    // Leases of deployments being driven are renewed well before they expire.
    this.renewTimer = setInterval(() => void this.renew(), Math.max(500, Math.floor(this.leaseMs / 3)));
    this.unsubscribe = this.work.subscribe(() => void this.tick());
    this.unsubscribeCancels = this.work.onCancelled((id) => void this.cancelAtDriver(id));
    this.logger.info(
      { owner: this.owner, intervalMs: this.config.runner.intervalMs },
      'deployment runner started',
    );
    void this.tick();
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.config.runner.enabled) return;
    this.unsubscribe?.();
    this.unsubscribeCancels?.();
    if (this.scheduler.doesExist('interval', INTERVAL_NAME)) this.scheduler.deleteInterval(INTERVAL_NAME);
    if (this.renewTimer) clearInterval(this.renewTimer);
    const drained = Promise.allSettled([this.loop.stop(), ...this.inFlight.values()]);
    const timer = new Promise((resolve) => setTimeout(resolve, DRAIN_MS).unref());
    await Promise.race([drained, timer]);
    this.stopping.abort();
    // Another replica (or this one, restarted) picks these up at once instead of after the lease.
    await this.claims.releaseAll(this.owner).catch(() => undefined);
  }

  tick(): Promise<void> {
    return this.loop.request();
  }

  // A database outage fails every pass until it ends: log its start and end, not each pass.
  private failed(error: unknown): void {
    if (!isDatabaseUnavailable(error)) {
      this.logger.error({ error: describeError(error) }, 'runner pass failed');
      return;
    }
    if (this.databaseAway) return;
    this.databaseAway = true;
    this.logger.warn({ error: describeError(error) }, 'runner paused: the database is not reachable');
  }

  private recovered(): void {
    if (!this.databaseAway) return;
    this.databaseAway = false;
    this.logger.warn('runner resumed: the database is reachable again');
  }

  // One pass: housekeeping, then claim what is due up to this process's free capacity.
  private async pass(): Promise<void> {
    const result = await this.housekeeping.runOnce();
    for (const row of result.changed) await this.transitions.publish(row);
    for (const row of result.timedOut) void this.cancelAtDriver(row.id);
    const free = this.config.runner.concurrency - this.inFlight.size;
    if (free <= 0) return;
    const ids = await this.claims.claim(this.owner, free, this.leaseMs);
    for (const id of ids) {
      // Our own lease ran out while this process was still driving it (a stall, a database outage)
      // and the claim just took it back: one drive at a time, or the driver would be called twice.
      if (this.inFlight.has(id)) continue;
      const run = this.stepper
        .drive(id, this.owner, this.stopping.signal)
        .catch((error: unknown) =>
          this.logger.error({ deploymentId: id, error: describeError(error) }, 'driving a deployment failed'),
        )
        .finally(async () => {
          await this.claims.release(this.owner, id).catch(() => undefined);
          this.inFlight.delete(id);
        });
      this.inFlight.set(id, run);
    }
  }

  private async renew(): Promise<void> {
    try {
      await this.claims.renew(this.owner, [...this.inFlight.keys()], this.leaseMs);
    } catch (error) {
      this.logger.warn({ error: describeError(error) }, 'renewing deployment leases failed');
    }
  }

  // Best effort: a deployment that ended by deadline or cancel may still be running at its target.
  async cancelAtDriver(id: string): Promise<void> {
    try {
      const deployment = await this.prisma.deployment.findUnique({
        where: { id },
        include: deploymentForDriverInclude,
      });
      if (!deployment) return;
      const driver = this.drivers.get(deployment.stage.driverKind);
      const state = (deployment.driverState ?? {}) as {
        started?: boolean;
        driver?: JsonObject;
        intent?: { key?: unknown; at?: unknown } | null;
      };
      // A start whose answer is not recorded may have reached the target: it is asked to stop too.
      const intent =
        typeof state.intent?.key === 'string' && typeof state.intent.at === 'string'
          ? { key: state.intent.key, at: new Date(state.intent.at), resumed: true }
          : null;
      if (!driver?.cancel || (state.started !== true && !intent)) return;
      await driver.cancel(
        driverContext(
          deployment,
          { started: state.started === true, state: state.driver ?? null, intent },
          this.stopping.signal,
        ),
      );
    } catch (error) {
      this.logger.warn({ deploymentId: id, error: describeError(error) }, 'asking the driver to stop failed');
    }
  }
}
