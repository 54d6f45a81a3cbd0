import swc from 'unplugin-swc';
import { configDefaults, defineProject } from 'vitest/config';
import { API_HEAVY_FILES, workspaceAliases } from '../../vitest.shared.js';

// The I/O-bound API tests (HTTP and Postgres, each file on a database of its own): several files at once.
// The CPU-heavy ones are the `api-heavy` project (vitest.heavy.config.ts).
export default defineProject({
  // Nest resolves constructor dependencies from decorator metadata, which only swc emits here.
  plugins: [swc.vite({ module: { type: 'es6' } })],
  resolve: { alias: workspaceAliases },
  test: {
    name: 'api',
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    exclude: [...configDefaults.exclude, ...API_HEAVY_FILES],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
