import swc from 'unplugin-swc';
import { defineProject } from 'vitest/config';

export default defineProject({
  // Nest resolves constructor dependencies from decorator metadata, which only swc emits here.
  plugins: [swc.vite({ module: { type: 'es6' } })],
  resolve: { conditions: ['flightdeck-source'] },
  test: {
    name: 'api',
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
