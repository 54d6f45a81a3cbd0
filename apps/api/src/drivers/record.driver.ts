import { Injectable } from '@nestjs/common';
import type { DeployDriver, DriverContext, DriverStep } from './driver.js';

// How often the runner looks again; the outcome comes from the report endpoint, and the deadline
// ends a deployment nobody reports on.
const RECHECK_MS = 60_000;

// Deploys done elsewhere (a CI job, a script, a person): Flightdeck records them and waits for
// POST /api/v1/deployments/{id}/report.
@Injectable()
export class RecordDriver implements DeployDriver {
  readonly kind = 'record' as const;

  start(ctx: DriverContext): Promise<DriverStep> {
    return Promise.resolve({
      outcome: 'progress',
      started: true,
      state: {},
      message: `Waiting for the outcome to be reported (POST /api/v1/deployments/${ctx.deployment.id}/report)`,
      nextRunAt: new Date(ctx.now.getTime() + RECHECK_MS),
    });
  }

  poll(ctx: DriverContext): Promise<DriverStep> {
    return Promise.resolve({
      outcome: 'progress',
      started: true,
      state: ctx.state ?? {},
      nextRunAt: new Date(ctx.now.getTime() + RECHECK_MS),
    });
  }
}
