import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONFIG_VARIABLES } from '../src/config/config.js';

// No Docker engine runs here, so the packaging files are checked statically.
const repoRoot = path.resolve(import.meta.dirname, '../../..');
const read = (file: string) => readFileSync(path.join(repoRoot, file), 'utf8');

describe('packaging', () => {
  it('docker-compose.yml runs Flightdeck against Postgres with only known settings', () => {
    const compose = parse(read('docker-compose.yml')) as {
      services: Record<
        string,
        { environment?: Record<string, string>; ports?: string[]; depends_on?: unknown }
      >;
    };
    const flightdeck = compose.services.flightdeck!;
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['postgres', 'flightdeck']));
    for (const name of Object.keys(flightdeck.environment ?? {})) expect(CONFIG_VARIABLES).toContain(name);
    expect(flightdeck.environment?.DATABASE_URL).toMatch(/^postgresql:\/\/.+@postgres:5432\//);
    expect(flightdeck.ports).toContain('3000:3000');
    expect(flightdeck.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
  });

  it('the Dockerfile is multi-stage, copies paths that exist and runs the built entrypoint as non-root', () => {
    const dockerfile = read('Dockerfile');
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(3);
    const copies = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1]!.split(' '));
    for (const source of copies.filter((s) => s !== '.'))
      expect(existsSync(path.join(repoRoot, source)), source).toBe(true);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toContain('CMD ["node", "apps/api/dist/main.js"]');
    expect(dockerfile).toContain('/health/ready');
  });

  it('the README documents every configuration variable', () => {
    const readme = read('README.md');
    for (const name of CONFIG_VARIABLES) expect(readme, name).toContain(`\`${name}\``);
  });
});
