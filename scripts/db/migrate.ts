// Applies pending migrations from prisma/migrations to DATABASE_URL (like `prisma migrate deploy`).
// Usage: DATABASE_URL=postgresql://… pnpm db:migrate
import { applyMigrations } from '../../apps/api/src/database/migrations.js';

const connectionString = process.env['DATABASE_URL'];
if (!connectionString) {
  console.error('db:migrate: DATABASE_URL is not set. Example: DATABASE_URL=postgresql://user@host:5432/db');
  process.exit(1);
}

const { applied } = await applyMigrations({ connectionString });
console.log(
  applied.length === 0
    ? 'db:migrate: database is up to date'
    : `db:migrate: applied ${applied.length} migration(s): ${applied.join(', ')}`,
);
// The wasm engine leaves a 10 s timer behind after each call; do not wait for it.
process.exit(0);
