// Drift between prisma/schema.prisma and prisma/migrations, checked two ways:
// (a) the last migration's schema snapshot equals schema.prisma (the engine's diff between them is empty);
// (b) the database the migrations build equals the one the engine builds from schema.prisma directly
//     (diff empty → schema), compared catalog to catalog. (b) fails when schema.prisma changed without a
//     migration, and when a migration's SQL was edited by hand outside the allowlisted section.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTestDatabase } from '@flightdeck/test-kit';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { EMBEDDED_POOL_MAX } from '../../src/database/embedded-postgres.js';
import {
  SCHEMA_SNAPSHOT_FILE,
  applyMigrations,
  defaultMigrationsDir,
  defaultSchemaPath,
  readMigrations,
} from '../../src/database/migrations.js';
import { diffSchemas } from '../../src/database/schema-engine.js';

/** Objects created by the hand-written sections of migration.sql files: absent from schema.prisma. */
const HAND_WRITTEN_OBJECTS: ReadonlyArray<{ kind: 'index' | 'constraint'; name: string }> = [
  { kind: 'index', name: 'deployments_one_active_per_stage' },
  { kind: 'constraint', name: 'freezes_scope_target' },
  { kind: 'constraint', name: 'freezes_window' },
  { kind: 'index', name: 'deployments_runnable' },
  { kind: 'index', name: 'deployments_waiting' },
  { kind: 'constraint', name: 'deployments_break_glass_reason' },
  { kind: 'constraint', name: 'deployment_windows_duration' },
  { kind: 'constraint', name: 'approval_policies_scope' },
  { kind: 'constraint', name: 'approval_policies_numbers' },
  { kind: 'constraint', name: 'incident_severities_numbers' },
  { kind: 'index', name: 'notification_deliveries_due' },
  { kind: 'index', name: 'notification_events_unfanned' },
];

interface Catalog {
  tables: string[];
  columns: string[];
  enums: string[];
  indexes: string[];
  constraints: string[];
}

const allowed = (kind: 'index' | 'constraint', name: string) =>
  HAND_WRITTEN_OBJECTS.some((object) => object.kind === kind && object.name === name);

async function catalogOf(url: string): Promise<Catalog> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    const lines = async (sql: string) =>
      (await client.query<{ line: string }>(sql)).rows.map((row) => row.line);
    const tables = await lines(`
      SELECT table_name AS line FROM information_schema.tables
      WHERE table_schema = 'public' AND table_name <> '_prisma_migrations' ORDER BY 1`);
    const columns = await lines(`
      SELECT format('%s.%s %s %s default=%s', c.relname, a.attname, format_type(a.atttypid, a.atttypmod),
                    CASE WHEN a.attnotnull THEN 'not null' ELSE 'null' END,
                    coalesce(pg_get_expr(d.adbin, d.adrelid), '-')) AS line
      FROM pg_attribute a
      JOIN pg_class c ON c.oid = a.attrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> '_prisma_migrations'
        AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY 1`);
    const enums = await lines(`
      SELECT format('%s (%s)', t.typname, string_agg(e.enumlabel, ', ' ORDER BY e.enumsortorder)) AS line
      FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = 'public' GROUP BY t.typname ORDER BY 1`);
    const indexes = await lines(`
      SELECT format('%s: %s', indexname, indexdef) AS line FROM pg_indexes
      WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY 1`);
    const constraints = await lines(`
      SELECT format('%s: %s %s %s', con.conname, rel.relname, con.contype, pg_get_constraintdef(con.oid)) AS line
      FROM pg_constraint con
      JOIN pg_class rel ON rel.oid = con.conrelid
      JOIN pg_namespace n ON n.oid = rel.relnamespace
      WHERE n.nspname = 'public' AND rel.relname <> '_prisma_migrations' ORDER BY 1`);
    return { tables, columns, enums, indexes, constraints };
  } finally {
    await client.end();
  }
}

const nameOf = (line: string) => line.slice(0, line.indexOf(':'));

function withoutHandWritten(catalog: Catalog): Catalog {
  return {
    ...catalog,
    indexes: catalog.indexes.filter((line) => !allowed('index', nameOf(line))),
    constraints: catalog.constraints.filter((line) => !allowed('constraint', nameOf(line))),
  };
}

describe('schema drift', () => {
  it("the last migration's schema snapshot is schema.prisma", async () => {
    const { migrations } = await readMigrations(defaultMigrationsDir());
    const last = migrations.at(-1);
    expect(last, 'no migrations').toBeDefined();
    const snapshot = await readFile(join(defaultMigrationsDir(), last!.name, SCHEMA_SNAPSHOT_FILE), 'utf8');
    const current = await readFile(defaultSchemaPath(), 'utf8');

    const database = await createTestDatabase({ empty: true });
    try {
      const diff = await diffSchemas(snapshot, current, database.url);
      expect(
        diff.sql,
        'schema.prisma changed since the last migration: run pnpm db:new-migration <name>',
      ).toBe('-- This is an empty migration.\n');
      expect(diff.changed).toBe(false);
    } finally {
      await database.drop();
    }
  });

  it('migrations build the same database as schema.prisma, apart from the hand-written objects', async () => {
    // One database at a time, so this also runs on the single embedded database.
    const migrated = await createTestDatabase({ empty: true });
    let fromMigrations: Catalog;
    try {
      await applyMigrations({ connectionString: migrated.url, poolMax: EMBEDDED_POOL_MAX });
      fromMigrations = await catalogOf(migrated.url);
    } finally {
      await migrated.drop();
    }

    const direct = await createTestDatabase({ empty: true });
    let fromSchema: Catalog;
    try {
      const schema = await readFile(defaultSchemaPath(), 'utf8');
      const { sql } = await diffSchemas(null, schema, direct.url);
      const client = new pg.Client(direct.url);
      await client.connect();
      await client.query(sql).finally(() => client.end());
      fromSchema = await catalogOf(direct.url);
    } finally {
      await direct.drop();
    }

    expect(fromSchema.tables.length).toBeGreaterThan(0);
    // Every allowlisted object must exist, so the allowlist cannot hide anything stale.
    for (const object of HAND_WRITTEN_OBJECTS) {
      const list = object.kind === 'index' ? fromMigrations.indexes : fromMigrations.constraints;
      expect(list.map(nameOf), `${object.kind} ${object.name}`).toContain(object.name);
    }
    expect(withoutHandWritten(fromMigrations)).toEqual(fromSchema);
  });
});
