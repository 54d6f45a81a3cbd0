// Runs `prisma generate` (client into apps/api/src/generated/prisma) without downloading the native schema
// engine: generation never uses it, and Prisma skips the download when PRISMA_SCHEMA_ENGINE_BINARY names
// any existing file.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const apiDir = join(root, 'apps', 'api');
// The CLI binary directly: `pnpm` itself may not be on PATH when it was started through npx.
const prisma = join(apiDir, 'node_modules', '.bin', 'prisma');
const result = spawnSync(prisma, ['generate', '--config', join(apiDir, 'prisma.config.ts')], {
  cwd: apiDir,
  stdio: 'inherit',
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.execPath },
});
process.exit(result.status ?? 1);
