import path from 'node:path';

// Tests run workspace packages from their TypeScript source; aliases apply in every Vite environment,
// including the one that loads globalSetup files, where resolve conditions do not reach.
export const workspaceAliases = {
  '@flightdeck/contracts': path.resolve(import.meta.dirname, 'packages/contracts/src/index.ts'),
  '@flightdeck/test-kit': path.resolve(import.meta.dirname, 'packages/test-kit/src/index.ts'),
};

/**
 * API test files that keep the CPU busy rather than wait (headless Chromium, fleets of real processes, the
 * embedded WASM Postgres, the bench's seeding and load) or that race real deadlines of a few seconds
 * (the driver end-to-end tests, which failed beside another file on a busy machine and pass alone). They
 * form the `api-heavy` project and run one at a time after every other file. Relative to apps/api.
 */
export const API_HEAVY_FILES = [
  'test/**/*.browser.test.ts',
  'test/drivers/argocd-e2e.test.ts',
  'test/drivers/webhook-e2e.test.ts',
  'test/ops/replicas.e2e.test.ts',
  'test/ops/postgres-outage.e2e.test.ts',
  'test/ops/soak.e2e.test.ts',
  'test/ops/flapping-*.e2e.test.ts',
  'test/runner/recovery.e2e.test.ts',
  'test/runner/start-once.e2e.test.ts',
  'test/ops/shutdown.e2e.test.ts',
  'test/e2e/embedded.e2e.test.ts',
  'test/bench/**/*.test.ts',
];
