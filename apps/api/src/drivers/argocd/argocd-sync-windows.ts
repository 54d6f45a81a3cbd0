import { Inject, Injectable } from '@nestjs/common';
import type { DriverKind, Gate } from '@flightdeck/contracts';
import { SecretBox } from '../../secrets/secret-box.js';
import { ArgoCdClient, ArgoCdError } from './argocd-client.js';
import { openArgoToken, parseArgoConfig } from './argocd-config.js';
import { syncWindowReason } from './argocd-status.js';

// Argo CD's own answer to "may this application sync now?" (its sync windows).
export type ArgoSyncWindowVerdict =
  | { readonly application: string; readonly canSync: true }
  | { readonly application: string; readonly canSync: false; readonly reason: string }
  // Argo CD could not be asked: the deployment finds out when it starts.
  | { readonly application: string; readonly canSync: null; readonly reason: string };

// A `window` gate from Argo CD's verdict, for the gate evaluator: waiting while a sync window is
// closed (the runner's deployment waits too), pass otherwise. Null for stages without a verdict.
export function argoSyncWindowGate(verdict: ArgoSyncWindowVerdict | null): Gate | null {
  if (!verdict) return null;
  if (verdict.canSync === false) {
    return {
      kind: 'window',
      state: 'waiting',
      message: `Argo CD's sync windows do not allow syncing ${verdict.application} now (${verdict.reason})`,
      until: null,
    };
  }
  return {
    kind: 'window',
    state: 'pass',
    message:
      verdict.canSync === null
        ? `Argo CD's sync windows could not be read (${verdict.reason}); checked again when the deployment starts`
        : `Argo CD's sync windows allow syncing ${verdict.application} now`,
    until: null,
  };
}

// Asks a stage's Argo CD about its sync windows. Outside any transaction: it is an HTTP call.
@Injectable()
export class ArgoSyncWindows {
  constructor(@Inject(SecretBox) private readonly secrets: SecretBox) {}

  async verdict(
    stage: { readonly id: string; readonly driverKind: DriverKind; readonly driverConfig: unknown },
    signal?: AbortSignal,
  ): Promise<ArgoSyncWindowVerdict | null> {
    if (stage.driverKind !== 'argocd') return null;
    const config = parseArgoConfig(stage.driverConfig);
    if (!config) return null;
    const application = config.application;
    try {
      const token = openArgoToken(this.secrets, stage.id, config);
      if (token === null) return { application, canSync: null, reason: 'the stage has no Argo CD token' };
      const client = new ArgoCdClient({
        serverUrl: config.serverUrl,
        token,
        timeoutMs: Math.min(config.timeoutSeconds, 5) * 1000,
        ...(signal ? { signal } : {}),
        appNamespace: config.appNamespace,
        project: config.project,
      });
      const reason = syncWindowReason(await client.syncWindows(application));
      return reason === null ? { application, canSync: true } : { application, canSync: false, reason };
    } catch (error) {
      const reason = error instanceof ArgoCdError ? error.message : 'the token could not be opened';
      return { application, canSync: null, reason };
    }
  }
}
