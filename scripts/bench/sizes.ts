// How much data a bench run seeds. `full` is the size issue #10 asks for; the others keep the same shape.
export interface BenchSize {
  name: string;
  services: number;
  // Per service; environments are fixed at five (dev → production).
  releasesPerService: number;
  // Per stage (service × environment).
  deploymentsPerStage: number;
  auditEvents: number;
  // Seconds of load per endpoint.
  durationSeconds: number;
}

export const ENVIRONMENT_COUNT = 5;

export const BENCH_SIZES: Record<string, BenchSize> = {
  // 1,000 services × 5 environments, 200,000 releases, 2,000,000 deployments, 1,000,000 audit events.
  full: {
    name: 'full',
    services: 1000,
    releasesPerService: 200,
    deploymentsPerStage: 400,
    auditEvents: 1_000_000,
    durationSeconds: 20,
  },
  small: {
    name: 'small',
    services: 100,
    releasesPerService: 50,
    deploymentsPerStage: 100,
    auditEvents: 50_000,
    durationSeconds: 10,
  },
  // For the CI smoke test: proves the harness works end to end, measures nothing worth reading.
  tiny: {
    name: 'tiny',
    services: 20,
    releasesPerService: 10,
    deploymentsPerStage: 20,
    auditEvents: 2_000,
    durationSeconds: 2,
  },
};

export function totals(size: BenchSize) {
  const stages = size.services * ENVIRONMENT_COUNT;
  return {
    services: size.services,
    stages,
    releases: size.services * size.releasesPerService,
    deployments: stages * size.deploymentsPerStage,
    auditEvents: size.auditEvents,
  };
}
