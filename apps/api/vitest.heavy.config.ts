import { configDefaults, defineProject } from 'vitest/config';
import { API_HEAVY_FILES } from '../../vitest.shared.js';
import api from './vitest.config.js';

// The CPU-heavy API tests (browser journeys, process fleets, embedded Postgres, bench): one file at a
// time, which also makes vitest run them after every other project's files, on an otherwise idle machine.
// Run one with `pnpm vitest run --project api-heavy <file>`.
export default defineProject({
  ...api,
  test: {
    ...api.test,
    name: 'api-heavy',
    include: API_HEAVY_FILES,
    exclude: configDefaults.exclude,
    fileParallelism: false,
  },
});
