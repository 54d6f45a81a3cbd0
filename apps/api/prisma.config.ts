import { defineConfig } from 'prisma/config';

// Only `prisma generate` uses the CLI; migrations run through the wasm schema engine (scripts/db).
export default defineConfig({
  schema: '../../prisma/schema.prisma',
  migrations: { path: '../../prisma/migrations' },
});
