import type { DeploymentStatus } from './enums.js';

// The deployment lifecycle of DESIGN.md. The API enforces it; the web app reads it to enable buttons.
export const DEPLOYMENT_TRANSITIONS: Readonly<Record<DeploymentStatus, readonly DeploymentStatus[]>> = {
  pending: ['queued', 'rejected', 'superseded', 'cancelled', 'expired'],
  queued: ['running', 'failed', 'cancelled', 'timed_out'],
  running: ['verifying', 'failed', 'cancelled', 'timed_out'],
  verifying: ['succeeded', 'failed', 'cancelled', 'timed_out'],
  succeeded: [],
  failed: [],
  cancelled: [],
  timed_out: [],
  rejected: [],
  superseded: [],
  expired: [],
};

// At most one deployment per stage may be in one of these at a time (enforced by a partial unique index).
export const ACTIVE_STATUSES = [
  'queued',
  'running',
  'verifying',
] as const satisfies readonly DeploymentStatus[];

export const TERMINAL_STATUSES = [
  'succeeded',
  'failed',
  'cancelled',
  'timed_out',
  'rejected',
  'superseded',
  'expired',
] as const satisfies readonly DeploymentStatus[];

export function canTransition(from: DeploymentStatus, to: DeploymentStatus): boolean {
  return DEPLOYMENT_TRANSITIONS[from].includes(to);
}

export function isTerminal(status: DeploymentStatus): boolean {
  return DEPLOYMENT_TRANSITIONS[status].length === 0;
}

export function isActive(status: DeploymentStatus): boolean {
  return (ACTIVE_STATUSES as readonly DeploymentStatus[]).includes(status);
}
