import { randomUUID } from 'node:crypto';
import type { DriverKind } from '@flightdeck/contracts';
import type { DriverContext, StartIntent } from '../../../src/drivers/driver.js';

// What a runner hands a driver for one call, for tests that call a driver directly.
export function driverContext(fields: {
  readonly deploymentId: string;
  readonly stageId: string;
  readonly driverKind: DriverKind;
  readonly driverConfig: unknown;
  readonly commitSha: string;
  readonly intent: StartIntent | null;
  readonly state?: DriverContext['state'];
  readonly now?: Date;
}): DriverContext {
  const state = fields.state ?? null;
  return {
    deployment: {
      id: fields.deploymentId,
      kind: 'promote',
      requestedBy: 'test',
      reason: 'resume',
      deadlineAt: null,
    },
    stage: {
      id: fields.stageId,
      serviceSlug: 'shop',
      environmentSlug: 'dev',
      driverKind: fields.driverKind,
      driverConfig: fields.driverConfig,
    },
    release: {
      id: randomUUID(),
      version: 'v2.0.0',
      commitSha: fields.commitSha,
      artifactRef: null,
      notes: '',
    },
    started: state !== null,
    state,
    intent: fields.intent,
    now: fields.now ?? new Date(),
    signal: new AbortController().signal,
  };
}
