import { z } from 'zod';
import type { SecretBox } from '../../secrets/secret-box.js';

// What a webhook stage keeps in stages.driver_config: the input settings, with the secret sealed.
export const webhookStoredConfigSchema = z.object({
  url: z.string().url(),
  secretSealed: z.string().min(1).nullable().default(null),
  statusUrl: z.string().url().nullable().default(null),
  timeoutSeconds: z.number().int().min(1).max(60).default(10),
  maxAttempts: z.number().int().min(1).max(10).default(3),
  pollIntervalSeconds: z.number().int().min(1).max(300).default(5),
});
export type WebhookStoredConfig = z.infer<typeof webhookStoredConfigSchema>;

// The settings as the API shows them: the secret only as whether one is stored.
export interface PublicWebhookConfig {
  readonly url: string;
  readonly statusUrl: string | null;
  readonly timeoutSeconds: number;
  readonly maxAttempts: number;
  readonly pollIntervalSeconds: number;
  readonly secretSet: boolean;
}

// Associated data binds a sealed secret to its stage: copied to another stage's row, it does not open.
export function webhookSecretAad(stageId: string): string {
  return `stage:${stageId}:webhook-secret`;
}

export function parseWebhookConfig(raw: unknown): WebhookStoredConfig | null {
  const parsed = webhookStoredConfigSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

export function publicWebhookConfig(config: WebhookStoredConfig): PublicWebhookConfig {
  return {
    url: config.url,
    statusUrl: config.statusUrl,
    timeoutSeconds: config.timeoutSeconds,
    maxAttempts: config.maxAttempts,
    pollIntervalSeconds: config.pollIntervalSeconds,
    secretSet: config.secretSealed !== null,
  };
}

// Throws SecretBoxError when the value was altered or sealed under another key or stage.
export function openWebhookSecret(
  box: SecretBox,
  stageId: string,
  config: WebhookStoredConfig,
): string | null {
  return config.secretSealed === null ? null : box.open(config.secretSealed, webhookSecretAad(stageId));
}
