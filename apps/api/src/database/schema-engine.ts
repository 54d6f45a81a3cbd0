import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';
import pg from 'pg';

export type { SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';

type EngineBindings = typeof import('@prisma/schema-engine-wasm/schema_engine_bg');

// lib.dom is not loaded and @types/node 20 has no WebAssembly namespace: declare the little we use.
type WasmModule = { readonly kind: 'WebAssembly.Module' };
declare const WebAssembly: {
  compile(bytes: Uint8Array): Promise<WasmModule>;
  instantiate(
    module: WasmModule,
    imports: Record<string, object>,
  ): Promise<{ exports: Record<string, unknown> }>;
  Module: { imports(module: WasmModule): Array<{ module: string }> };
};

let bindingsPromise: Promise<EngineBindings> | undefined;

// Node 20 cannot `import` a .wasm file without --experimental-wasm-modules, so we do by hand what the
// package's entry point does: compile the module, wire it to its JS glue, start it. The glue module keeps
// the instance in module state, so this runs once per process and every engine shares it.
function loadBindings(): Promise<EngineBindings> {
  bindingsPromise ??= (async () => {
    // The package's exports map has no ./package.json; resolving the CJS entry gives us its folder.
    const entry = createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm');
    const wasmBytes = await readFile(join(dirname(entry), 'schema_engine_bg.wasm'));
    const module = await WebAssembly.compile(wasmBytes);
    const bindings = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    // The wasm imports its JS glue under one module name ('./schema_engine_bg.js'); map every name to it.
    const imports: Record<string, object> = {};
    for (const { module: name } of WebAssembly.Module.imports(module)) imports[name] = bindings;
    const instance = await WebAssembly.instantiate(module, imports);
    bindings.__wbg_set_wasm(instance.exports);
    const start = instance.exports['__wbindgen_start'];
    if (typeof start === 'function') (start as () => void)();
    return bindings;
  })();
  // A failed load should not poison every later attempt.
  bindingsPromise.catch(() => (bindingsPromise = undefined));
  return bindingsPromise;
}

/**
 * adapter-pg runs a migration script by splitting it on every ";", which breaks on a semicolon in a
 * comment or in a function body. Postgres takes a whole script as one simple-protocol query (run as
 * one implicit transaction), which is what Prisma's native engine does, so we hand it over whole.
 */
function wholeScriptAdapter(pool: pg.Pool): PrismaPg {
  const factory = new PrismaPg(pool);
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    adapter.executeScript = async (script: string) => {
      await pool.query(script);
    };
    return adapter;
  };
  return factory;
}

export interface SchemaEngineOptions {
  /** Pool size of the engine's own connection pool. Use 1 against the embedded server. */
  poolMax?: number;
}

/**
 * Runs `fn` with a schema engine connected to `connectionString` and loaded with `schemaText`.
 * The engine is freed and its connection pool closed whatever `fn` does.
 */
export async function withSchemaEngine<T>(
  connectionString: string,
  schemaText: string,
  fn: (engine: SchemaEngine) => Promise<T>,
  options: SchemaEngineOptions = {},
): Promise<T> {
  const bindings = await loadBindings();
  // We own the pool (instead of handing adapter-pg a URL) so that we can always end it ourselves.
  const pool = new pg.Pool({ connectionString, max: options.poolMax ?? 2 });
  // The engine reports connection failures itself; an idle-client error must not crash the process.
  pool.on('error', () => undefined);
  try {
    const adapter = bindMigrationAwareSqlAdapterFactory(wholeScriptAdapter(pool));
    const engine = await bindings.SchemaEngine.new(
      { datamodels: [['schema.prisma', schemaText]] },
      () => undefined,
      adapter,
    );
    try {
      return await fn(engine);
    } finally {
      engine.free();
    }
  } finally {
    await pool.end();
  }
}

/** Filters for diff/applyMigrations: Flightdeck has no externally managed tables or enums. */
export const NO_EXTERNAL_OBJECTS = { externalTables: [], externalEnums: [] };

export interface SchemaDiff {
  /** True when `to` requires changes over `from`. */
  changed: boolean;
  /** The SQL script turning `from` into `to` (a comment only when unchanged). */
  sql: string;
}

/**
 * Diffs two Prisma schema texts (`null` = empty database) into a SQL script. Pure: it never touches a
 * database, but the engine needs an adapter, so a connection string is still required (no connection is made).
 */
export async function diffSchemas(
  from: string | null,
  to: string,
  connectionString = 'postgresql://unused@127.0.0.1:1/unused',
): Promise<SchemaDiff> {
  const target = (content: string) => ({
    tag: 'schemaDatamodel' as const,
    files: [{ path: 'schema.prisma', content }],
  });
  return withSchemaEngine(connectionString, to, async (engine) => {
    const result = await engine.diff({
      from: from === null ? { tag: 'empty' } : target(from),
      to: target(to),
      script: true,
      exitCode: true,
      filters: NO_EXTERNAL_OBJECTS,
    });
    return { changed: result.exitCode === 2, sql: result.stdout ?? '' };
  });
}
