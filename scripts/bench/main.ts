// `pnpm bench [-- --size tiny|small|full] [--keep] [--no-browser] [--no-docs] [--main other/dist/main.js]` (or BENCH_SCALE=small): seeds a database of
// its own on the server at BENCH_DATABASE_URL (else TEST_DATABASE_URL, else the local default), measures
// the built API and web app, and writes bench-results/<time>.json and docs/benchmarks.md.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { applyMigrations } from '../../apps/api/src/database/migrations.js';
import { builtApiStarter } from './api.js';
import { createBenchDatabase, DEFAULT_SERVER_URL, existingDatabase } from './database.js';
import { renderMarkdown } from './report.js';
import { runBench } from './run.js';
import { BENCH_SIZES } from './sizes.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    size: { type: 'string', default: process.env['BENCH_SCALE'] ?? 'full' },
    keep: { type: 'boolean', default: false },
    // The name of a database an earlier `--keep` run seeded at this size: measured again, not dropped.
    reuse: { type: 'string' },
    'no-browser': { type: 'boolean', default: false },
    'no-docs': { type: 'boolean', default: false },
    // Another build of the server to measure (e.g. one made from another commit), instead of apps/api/dist.
    main: { type: 'string' },
  },
});
const size = BENCH_SIZES[values.size];
if (!size) {
  console.error(`bench: --size must be one of ${Object.keys(BENCH_SIZES).join(', ')}`);
  process.exit(2);
}
const serverUrl = process.env['BENCH_DATABASE_URL'] ?? process.env['TEST_DATABASE_URL'] ?? DEFAULT_SERVER_URL;
const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

log(`bench: size ${size.name} on ${new URL(serverUrl).host}`);
const database = values.reuse
  ? existingDatabase(serverUrl, values.reuse)
  : await createBenchDatabase(serverUrl);
// A reused database gets the migrations added since it was seeded.
if (values.reuse) await applyMigrations({ connectionString: database.url });
log(`bench: database ${database.name} ${values.reuse ? 'reused and migrated' : 'created and migrated'}`);
try {
  const result = await runBench({
    size,
    databaseUrl: database.url,
    startApi: builtApiStarter(repoRoot, values.main ? path.resolve(values.main) : undefined),
    webDist: path.join(repoRoot, 'apps/web/dist'),
    command: `pnpm bench -- --size ${size.name}${values['no-browser'] ? ' --no-browser' : ''}`,
    seed: !values.reuse,
    browser: !values['no-browser'],
    log,
  });
  const dir = path.join(repoRoot, 'bench-results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${result.startedAt.replace(/[:.]/g, '-')}-${size.name}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  log(`bench: wrote ${path.relative(repoRoot, file)}`);
  if (!values['no-docs']) {
    const docs = path.join(repoRoot, 'docs/benchmarks.md');
    writeFileSync(docs, renderMarkdown(result, existsSync(docs) ? readFileSync(docs, 'utf8') : ''));
    log('bench: wrote docs/benchmarks.md');
  }
} finally {
  if (values.keep || values.reuse) log(`bench: kept database ${database.name}`);
  else await database.drop();
}
// The wasm schema engine leaves a timer behind; nothing else is pending.
process.exit(0);
