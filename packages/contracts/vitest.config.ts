import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['flightdeck-source'] },
  test: { name: 'contracts', include: ['src/**/*.test.ts'] },
});
