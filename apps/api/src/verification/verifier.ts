import { Injectable } from '@nestjs/common';
import { verificationConfigSchema, type HealthStatus, type VerificationConfig } from '@flightdeck/contracts';
import { probeHttp, queryPrometheus } from './probes.js';
import { decide, isConfigured, type Observation, type VerificationState } from './verdict.js';

export function parseVerificationConfig(value: unknown): VerificationConfig {
  const parsed = verificationConfigSchema.safeParse(value ?? {});
  return parsed.success ? parsed.data : verificationConfigSchema.parse({});
}

// One round of a stage's checks against the real endpoints, folded into the deployment's state.
@Injectable()
export class Verifier {
  configured(config: VerificationConfig): boolean {
    return isConfigured(config);
  }

  async round(
    config: VerificationConfig,
    previous: VerificationState | null,
    health: { status: HealthStatus; message: string } | null,
    signal: AbortSignal,
    now = new Date(),
  ): Promise<VerificationState> {
    const observations: Observation[] = await Promise.all([
      ...config.http.map(async (check): Promise<Observation> => ({
        kind: 'http',
        name: check.name,
        ...(await probeHttp(check, signal)),
      })),
      ...config.metrics.map(async (check): Promise<Observation> => ({
        kind: 'metric',
        name: check.name,
        result: await queryPrometheus(check.prometheusUrl, check.query, signal),
      })),
    ]);
    return decide(config, previous, health, observations, now);
  }
}
