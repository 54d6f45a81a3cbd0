import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'apps/api/vitest.heavy.config.ts'],
    // Vitest's default is one worker per core but one: a single worker on CI's two cores. An API file
    // spends about half its time importing the app (CPU) and the rest mostly waiting on HTTP and Postgres,
    // so two workers use both cores; a third only made transactions wait past Prisma's 5 s on a busy
    // machine. Each API file holds about a dozen Postgres connections (server default: 100). The CPU-heavy
    // files are kept apart (apps/api/vitest.heavy.config.ts).
    maxWorkers: 2,
  },
});
