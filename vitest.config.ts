import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'apps/api/vitest.heavy.config.ts'],
    // Vitest's default is one worker per core but one, a single worker on CI's two cores. Most files wait
    // on HTTP and Postgres, so three share two cores well; each API file holds about a dozen Postgres
    // connections (server default: 100). The CPU-heavy files are kept apart (apps/api/vitest.heavy.config.ts).
    maxWorkers: 3,
  },
});
