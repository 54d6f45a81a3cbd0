import path from 'node:path';

// Tests run workspace packages from their TypeScript source; aliases apply in every Vite environment,
// including the one that loads globalSetup files, where resolve conditions do not reach.
export const workspaceAliases = {
  '@flightdeck/contracts': path.resolve(import.meta.dirname, 'packages/contracts/src/index.ts'),
  '@flightdeck/test-kit': path.resolve(import.meta.dirname, 'packages/test-kit/src/index.ts'),
};
