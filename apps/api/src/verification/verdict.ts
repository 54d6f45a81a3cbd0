import type {
  CheckResult,
  HealthStatus,
  VerificationConfig,
  VerificationStatus,
} from '@flightdeck/contracts';

// What the runner keeps between looks: the public status plus counters per check.
export interface VerificationState extends VerificationStatus {
  readonly streaks: Readonly<Record<string, { failures: number; breachedSince: string | null }>>;
}

export type Observation =
  | { readonly kind: 'http'; readonly name: string; readonly ok: boolean; readonly message: string }
  | {
      readonly kind: 'metric';
      readonly name: string;
      readonly result: { ok: true; value: number | null } | { ok: false; message: string };
    };

export function isConfigured(config: VerificationConfig): boolean {
  return config.windowSeconds > 0 || config.http.length > 0 || config.metrics.length > 0;
}

const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;

// Pure: folds one round of observations into the state and decides. A check fails the verification
// when it is past its allowance (failed probes in a row, or a threshold breached for long enough);
// when the window ends, every check must be passing.
export function decide(
  config: VerificationConfig,
  previous: VerificationState | null,
  health: { status: HealthStatus; message: string } | null,
  observations: readonly Observation[],
  now: Date,
): VerificationState {
  const startedAt = previous?.startedAt ?? now.toISOString();
  const until =
    previous?.until ?? new Date(new Date(startedAt).getTime() + config.windowSeconds * 1000).toISOString();
  const streaks: Record<string, { failures: number; breachedSince: string | null }> = {
    ...(previous?.streaks ?? {}),
  };
  const checks: CheckResult[] = [];
  const at = now.toISOString();

  if (config.driverHealth) {
    const bad = health && (health.status === 'degraded' || health.status === 'missing');
    checks.push({
      name: 'Driver health',
      kind: 'driver',
      state: bad ? 'failed' : 'passing',
      message: bad
        ? `the driver reports ${health.status}${health.message ? `: ${health.message}` : ''}`
        : `the driver reports ${health?.status ?? 'no health'}`,
      checkedAt: at,
    });
  }

  for (const observation of observations) {
    const streak = streaks[observation.name] ?? { failures: 0, breachedSince: null };
    if (observation.kind === 'http') {
      const check = config.http.find((candidate) => candidate.name === observation.name)!;
      const failures = observation.ok ? 0 : streak.failures + 1;
      streaks[observation.name] = { failures, breachedSince: null };
      checks.push({
        name: observation.name,
        kind: 'http',
        state: observation.ok ? 'passing' : failures > check.failuresAllowed ? 'failed' : 'failing',
        message: observation.ok
          ? observation.message
          : `${observation.message} (${failures} in a row, ${check.failuresAllowed} allowed)`,
        checkedAt: at,
      });
      continue;
    }
    const check = config.metrics.find((candidate) => candidate.name === observation.name)!;
    const { result } = observation;
    if (!result.ok || result.value === null) {
      streaks[observation.name] = { failures: streak.failures, breachedSince: streak.breachedSince };
      checks.push({
        name: observation.name,
        kind: 'metric',
        state: 'failing',
        message: result.ok ? 'no data yet' : result.message,
        checkedAt: at,
      });
      continue;
    }
    const breached =
      check.comparison === 'above' ? result.value > check.threshold : result.value < check.threshold;
    const since = breached ? (streak.breachedSince ?? at) : null;
    streaks[observation.name] = { failures: 0, breachedSince: since };
    const lasted = since ? now.getTime() - new Date(since).getTime() : 0;
    const failed = breached && lasted >= check.forSeconds * 1000;
    checks.push({
      name: observation.name,
      kind: 'metric',
      state: !breached ? 'passing' : failed ? 'failed' : 'failing',
      message: !breached
        ? `${result.value} (${check.comparison === 'above' ? 'at most' : 'at least'} ${check.threshold})`
        : `${result.value} ${check.comparison} ${check.threshold} for ${seconds(lasted)}${check.forSeconds ? ` of ${check.forSeconds} s allowed` : ''}`,
      checkedAt: at,
    });
  }

  const failed = checks.some((check) => check.state === 'failed');
  const over = now.getTime() >= new Date(until).getTime();
  const outcome = failed
    ? 'failed'
    : over
      ? checks.every((c) => c.state === 'passing')
        ? 'passed'
        : 'failed'
      : 'running';
  return { startedAt, until, outcome, checks, streaks };
}

// The sentence for the event log and the deployment's error.
export function summarizeVerdict(state: VerificationState): string {
  if (state.outcome === 'passed') {
    const window = Math.round((new Date(state.until).getTime() - new Date(state.startedAt).getTime()) / 1000);
    const count = `${state.checks.length} check${state.checks.length === 1 ? '' : 's'}`;
    return window > 0
      ? `Verified: ${count} passing through the ${window} s window`
      : `Verified: ${count} passing`;
  }
  const culprit =
    state.checks.find((check) => check.state === 'failed') ??
    state.checks.find((check) => check.state !== 'passing');
  return culprit ? `Verification failed: ${culprit.name}: ${culprit.message}` : 'Verification failed';
}
