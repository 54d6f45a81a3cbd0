import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { HealthStatus } from '@flightdeck/contracts';
import type { Logger } from 'pino';
import { AuditService, type AuditActor } from '../../audit/audit.service.js';
import { describeError } from '../../common/describe-error.js';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { PrismaService } from '../../database/prisma.service.js';
import { LiveEvents } from '../../events/live-events.service.js';
import { LOGGER } from '../../logging/logger.js';
import { SingleFlight } from '../../runner/single-flight.js';
import { SecretBox } from '../../secrets/secret-box.js';
import type { ArgoApplication } from './argocd-api.js';
import { ArgoCdClient, ArgoCdError } from './argocd-client.js';
import { openArgoToken, parseArgoConfig, short } from './argocd-config.js';
import { type ArgoStageRow, ArgoCdHealthRepository } from './argocd-health.repository.js';
import { argoHealth } from './argocd-status.js';

const INTERVAL_NAME = 'argocd-health';
export const ARGO_HEALTH_INTERVAL_MS = 15_000;
// One key for the job, so only one replica polls Argo CD at a time.
const HEALTH_LOCK = 4_611_686_018_427_387_401n;
const MAX_BACKOFF_MS = 10 * 60_000;
const ACTOR: AuditActor = { type: 'system', id: null, name: 'argocd-health' };
const BAD: readonly HealthStatus[] = ['degraded', 'missing'];

// What the board shows for an Argo-backed stage: Argo's health and sync status in one line.
export function argoHealthLine(app: ArgoApplication): {
  status: HealthStatus;
  message: string;
  // Argo's own health message and sync status, for sentences.
  detail: string;
  synced: string;
} {
  const health = argoHealth(app);
  const sync = app.status?.sync;
  const synced = sync?.status ? `${sync.status}${sync.revision ? ` at ${short(sync.revision)}` : ''}` : '';
  const message = [health.message, synced ? `Argo CD: ${synced}` : ''].filter(Boolean).join('; ');
  return { status: health.status, message, detail: health.message, synced };
}

export interface HealthPass {
  readonly ran: boolean;
  readonly checked: number;
  readonly changed: number;
  readonly failed: number;
}

// Keeps each Argo-backed stage's health and sync status current on the board, and notes on the stage's
// last deployment (and in the audit ledger) when its health degrades. Runs only while some stage uses
// Argo CD; single-flight across replicas; a stage whose Argo CD cannot be read is retried with backoff.
@Injectable()
export class ArgoCdHealthPoller implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly backoff = new Map<string, { failures: number; until: number }>();
  private readonly stopping = new AbortController();
  private running: Promise<HealthPass> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(SchedulerRegistry) private readonly scheduler: SchedulerRegistry,
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(ArgoCdHealthRepository) private readonly stages: ArgoCdHealthRepository,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(LiveEvents) private readonly events: LiveEvents,
    @Inject(SecretBox) private readonly secrets: SecretBox,
    @Inject(SingleFlight) private readonly singleFlight: SingleFlight,
  ) {}

  onApplicationBootstrap(): void {
    // Background work follows the runner's switch (FLIGHTDECK_RUNNER=false keeps a process API-only).
    if (!this.config.runner.enabled) return;
    const interval = setInterval(() => void this.tick(), ARGO_HEALTH_INTERVAL_MS);
    this.scheduler.addInterval(INTERVAL_NAME, interval);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.scheduler.doesExist('interval', INTERVAL_NAME)) this.scheduler.deleteInterval(INTERVAL_NAME);
    this.stopping.abort();
    await this.running?.catch(() => undefined);
  }

  private async tick(): Promise<void> {
    try {
      await this.pollOnce();
    } catch (error) {
      this.logger.warn({ error: describeError(error) }, 'Argo CD health pass failed');
    }
  }

  // One pass over every Argo-backed stage (nothing at all when there is none).
  pollOnce(now = new Date()): Promise<HealthPass> {
    if (this.running) return this.running;
    this.running = this.pass(now).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async pass(now: Date): Promise<HealthPass> {
    let checked = 0;
    let changed = 0;
    let failed = 0;
    if (!(await this.stages.anyArgoStage())) return { ran: false, checked, changed, failed };
    const ran = await this.singleFlight.run(HEALTH_LOCK, async () => {
      for (const stage of await this.stages.argoStages()) {
        if (this.stopping.signal.aborted) return;
        const wait = this.backoff.get(stage.id);
        if (wait && wait.until > now.getTime()) continue;
        checked++;
        const result = await this.check(stage, now);
        if (result === 'failed') failed++;
        if (result === 'changed') changed++;
      }
    });
    return { ran, checked, changed, failed };
  }

  private async check(stage: ArgoStageRow, now: Date): Promise<'same' | 'changed' | 'failed'> {
    const config = parseArgoConfig(stage.driverConfig);
    if (!config) return 'same';
    let next: ReturnType<typeof argoHealthLine>;
    try {
      const token = openArgoToken(this.secrets, stage.id, config);
      if (token === null) return 'same';
      const client = new ArgoCdClient({
        serverUrl: config.serverUrl,
        token,
        timeoutMs: config.timeoutSeconds * 1000,
        signal: this.stopping.signal,
        appNamespace: config.appNamespace,
        project: config.project,
      });
      next = argoHealthLine(await client.getApplication(config.application));
      this.backoff.delete(stage.id);
    } catch (error) {
      const failures = (this.backoff.get(stage.id)?.failures ?? 0) + 1;
      const delay = Math.min(MAX_BACKOFF_MS, ARGO_HEALTH_INTERVAL_MS * 2 ** (failures - 1));
      this.backoff.set(stage.id, { failures, until: now.getTime() + delay });
      this.logger.warn(
        {
          stageId: stage.id,
          failures,
          error: error instanceof ArgoCdError ? error.message : describeError(error),
        },
        'reading Argo CD health failed',
      );
      return 'failed';
    }
    if (next.status === stage.health && next.message === stage.healthMessage) {
      await this.stages.touch(stage.id, now);
      return 'same';
    }
    const degraded = BAD.includes(next.status) && !BAD.includes(stage.health);
    const written = await this.prisma.$transaction(async (tx) => {
      const ok = await this.stages.setHealth(
        tx,
        stage.id,
        { health: stage.health, message: stage.healthMessage },
        { health: next.status, message: next.message },
        now,
      );
      if (!ok || !degraded) return ok;
      const sentence = `Argo CD reports ${config.application} ${next.status}${next.detail ? `: ${next.detail}` : ''}${next.synced ? ` (${next.synced})` : ''}`;
      if (stage.lastDeployment) await this.stages.note(tx, stage.lastDeployment.id, sentence, ACTOR.name);
      await this.audit.record(tx, {
        actor: ACTOR,
        action: 'stage.health_degraded',
        outcome: 'success',
        target: { type: 'stage', id: stage.id },
        reason: sentence,
        before: { health: stage.health, healthMessage: stage.healthMessage },
        after: { health: next.status, healthMessage: next.message },
      });
      return true;
    });
    if (!written) return 'same';
    await this.events.publish({
      type: 'stage.updated',
      stageId: stage.id,
      serviceSlug: stage.serviceSlug,
      environmentSlug: stage.environmentSlug,
      at: new Date().toISOString(),
    });
    return 'changed';
  }
}
