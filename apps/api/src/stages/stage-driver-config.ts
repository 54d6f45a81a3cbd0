import type { BodyOutputOf, DriverKind, endpoints, StageDetail } from '@flightdeck/contracts';
import { mapStage } from '../catalog/catalog.mappers.js';
import { parseArgoConfig, publicArgoConfig } from '../drivers/argocd/argocd-config.js';
import { parseWebhookConfig, publicWebhookConfig } from '../drivers/webhook/webhook-config.js';
import type { StageDetailRow } from './stages.repository.js';

export type DriverInput = NonNullable<BodyOutputOf<typeof endpoints.updateStage>['driver']>;

// Sealed values show only as being set; anything named like a credential is left out altogether.
function redactConfig(config: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (key.endsWith('Sealed')) out[`${key.slice(0, -'Sealed'.length)}Set`] = value !== null && value !== '';
    else if (!/secret|token|password|credential|apikey/i.test(key)) out[key] = value;
  }
  return out;
}

export function publicDriverConfig(kind: DriverKind, raw: unknown): Record<string, unknown> {
  if (kind === 'webhook') {
    const webhook = parseWebhookConfig(raw);
    if (webhook) return { ...publicWebhookConfig(webhook) };
  }
  if (kind === 'argocd') {
    const argo = parseArgoConfig(raw);
    if (argo) return { ...publicArgoConfig(argo) };
  }
  return raw && typeof raw === 'object' && !Array.isArray(raw)
    ? redactConfig(raw as Record<string, unknown>)
    : {};
}

// What the API and the audit ledger show of a stage: its settings, never its secrets.
export function mapStageDetail(row: StageDetailRow): StageDetail {
  return {
    ...mapStage(row),
    driverConfig: publicDriverConfig(row.driverKind, row.driverConfig),
    requiredChecks: row.requiredChecks,
  };
}

// Key order does not make two configurations different.
export function sameConfig(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
