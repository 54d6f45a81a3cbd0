import type { HealthStatus } from '@flightdeck/contracts';
import type { ArgoApplication, ArgoSyncWindow, ArgoSyncWindows } from './argocd-api.js';

// Argo's health names (Healthy, Progressing, Degraded, Suspended, Missing, Unknown) are Flightdeck's.
export function argoHealth(app: ArgoApplication): { status: HealthStatus; message: string } {
  const raw = app.status?.health?.status?.toLowerCase() ?? 'unknown';
  const known: readonly HealthStatus[] = [
    'healthy',
    'progressing',
    'degraded',
    'suspended',
    'missing',
    'unknown',
  ];
  const status = (known as readonly string[]).includes(raw) ? (raw as HealthStatus) : 'unknown';
  return { status, message: app.status?.health?.message ?? '' };
}

// Argo CD's own rule: auto-sync is on when `automated` is set and not explicitly disabled.
export function autoSyncOn(app: ArgoApplication): boolean {
  const automated = app.spec?.syncPolicy?.automated;
  return automated !== undefined && automated.enabled !== false;
}

// An operation is requested (not yet picked up) or under way.
export function operationInProgress(app: ArgoApplication): string | null {
  const phase = app.status?.operationState?.phase;
  if (phase === 'Running' || phase === 'Terminating') {
    const message = app.status?.operationState?.message;
    return `${phase}${message ? `: ${message}` : ''}`;
  }
  return app.operation ? 'requested' : null;
}

function describeWindow(window: ArgoSyncWindow): string {
  const schedule = window.schedule ?? '?';
  return `${window.kind ?? 'deny'} window "${schedule}" for ${window.duration ?? '?'}${window.manualSync ? ' (manual sync allowed)' : ''}`;
}

// Argo's verdict in words: why its sync windows do not allow a sync now (null when they do).
export function syncWindowReason(windows: ArgoSyncWindows): string | null {
  if (windows.canSync !== false) return null;
  const active = windows.activeWindows ?? [];
  const deny = active.filter((w) => w.kind === 'deny');
  if (deny.length > 0) return `blocked by sync window: ${deny.map(describeWindow).join(', ')} is active`;
  const allow = (windows.assignedWindows ?? []).filter((w) => w.kind === 'allow');
  if (allow.length > 0 && !active.some((w) => w.kind === 'allow')) {
    return `blocked by sync window: no allow window is open (${allow.map(describeWindow).join(', ')})`;
  }
  return 'blocked by sync window';
}
