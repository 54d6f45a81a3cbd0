import type { DriverKind, HealthStatus } from '@flightdeck/contracts';

export type JsonObject = { readonly [key: string]: unknown };

// Everything a driver learns about one deployment. Drivers never touch the database: the runner
// records the intent before calling them and their result after, so a killed process resumes.
export interface DriverContext {
  readonly deployment: {
    readonly id: string;
    readonly kind: 'promote' | 'rollback' | 'redeploy' | 'record';
    readonly requestedBy: string;
    readonly reason: string;
    readonly deadlineAt: Date | null;
  };
  readonly stage: {
    readonly id: string;
    readonly serviceSlug: string;
    readonly environmentSlug: string;
    readonly driverKind: DriverKind;
    // As stored; each driver parses its own shape (secrets still sealed).
    readonly driverConfig: unknown;
  };
  readonly release: {
    readonly id: string;
    readonly version: string;
    readonly commitSha: string;
    readonly artifactRef: string | null;
    readonly notes: string;
  };
  // True once the external deployment exists: the runner calls `poll` from then on, `start` before.
  readonly started: boolean;
  // What this driver returned last time (null before the first call).
  readonly state: JsonObject | null;
  // Set on `start` and `rollback` calls: the intent the runner stored before this call.
  readonly intent?: StartIntent | null;
  readonly now: Date;
  // Aborted when the process shuts down; drivers pass it to their HTTP calls.
  readonly signal: AbortSignal;
}

// Written durably before a start is sent. `key` is what the target gets as idempotency key (the same on
// every retry); `resumed` means an earlier call under this intent may have reached the target but its
// answer was never recorded (the process died, its lease ran out, the write failed): the driver looks
// the deployment up at the target before it sends anything again.
export interface StartIntent {
  readonly key: string;
  readonly at: Date;
  readonly resumed: boolean;
}

// What one call to a driver came to. `state` is stored and handed back on the next call.
export type DriverStep =
  | {
      readonly outcome: 'progress';
      readonly started: boolean;
      readonly state: JsonObject;
      // When the runner should call again (a poll, or a retry after backoff).
      readonly nextRunAt: Date;
      // Written to the deployment's event log when present.
      readonly message?: string;
      readonly externalId?: string;
      readonly url?: string;
    }
  | {
      readonly outcome: 'succeeded';
      readonly state: JsonObject;
      readonly message: string;
      readonly health?: { readonly status: HealthStatus; readonly message: string };
      readonly externalId?: string;
      readonly url?: string;
    }
  | {
      readonly outcome: 'failed' | 'timed_out';
      readonly state: JsonObject;
      readonly message: string;
    };

// The port of DESIGN.md. `start` begins deploying ctx.release to ctx.stage and must be safe to call
// again for the same deployment (a process killed mid-call is retried): targets get ctx.intent.key as
// the idempotency key, and a resumed intent is looked up at the target before anything is sent again.
export interface DeployDriver {
  readonly kind: DriverKind;
  start(ctx: DriverContext): Promise<DriverStep>;
  poll(ctx: DriverContext): Promise<DriverStep>;
  // Best effort: asked when a deployment is cancelled or times out.
  cancel?(ctx: DriverContext): Promise<void>;
  // Native rollback where the tool has one (e.g. Argo CD by history id). Called instead of `start`
  // for a deployment of kind `rollback` (ctx.release is the release to go back to); a driver that
  // cannot roll back natively this time (say, the revision left the tool's history) may deploy
  // ctx.release the ordinary way and say so in the step's message.
  rollback?(ctx: DriverContext): Promise<DriverStep>;
}

// Drivers register under this token; the runner picks one by the stage's driver kind.
export const DEPLOY_DRIVERS = Symbol('DEPLOY_DRIVERS');
