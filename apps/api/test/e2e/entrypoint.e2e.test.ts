import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const apiRoot = path.resolve(import.meta.dirname, '../..');

// The real entrypoint, as `node` runs it: config errors stop start-up before anything else happens.
function runMain(env: Record<string, string>) {
  return spawnSync(
    process.execPath,
    ['--import', 'tsx', '--conditions=flightdeck-source', path.join(apiRoot, 'src/main.ts')],
    { cwd: apiRoot, env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 30_000 },
  );
}

describe('start-up with bad configuration', () => {
  it('exits with the variable names and reasons, and no stack trace', () => {
    const result = runMain({ PORT: 'eighty', DATABASE_URL: 'mysql://root:hunter2@db/app' });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain('Flightdeck cannot start.');
    expect(result.stderr).toMatch(/PORT: .*"eighty"/);
    expect(result.stderr).toMatch(/DATABASE_URL: must be a postgres/);
    expect(result.stderr).not.toContain('hunter2');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
