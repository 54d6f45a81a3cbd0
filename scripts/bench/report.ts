import type { BenchResult } from './run.js';

export const START = '<!-- bench:start (written by pnpm bench; edit outside these markers) -->';
export const END = '<!-- bench:end -->';

const n = (value: number) => value.toLocaleString('en-US');
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

export function renderResults(r: BenchResult): string {
  const m = r.machine;
  const lines = [
    `Measured ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC with \`${r.command}\`.`,
    '',
    `**Machine**: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.platform}; Node ${m.node}; PostgreSQL ${m.postgres} ` +
      '(API, Postgres, load generator and browser share the machine).',
    '',
    `**Data** (size \`${r.size.name}\`): ${n(r.data.services)} services × 5 environments (${n(r.data.stages)} stages), ` +
      `${n(r.data.releases)} releases, ${n(r.data.deployments)} deployments, ${n(r.data.auditEvents)} audit events. ` +
      (r.seedMs
        ? `Seeded in ${(Object.values<number>(r.seedMs).reduce((a, b) => a + b, 0) / 1000).toFixed(0)} s ` +
          `(deployments ${(r.seedMs.deployments / 1000).toFixed(0)} s, audit chain ${(r.seedMs.auditEvents / 1000).toFixed(0)} s).`
        : 'Database seeded by an earlier run at this size (`--reuse`).'),
    '',
    `**Load**: autocannon, ${r.connections} concurrent connections, ${r.size.durationSeconds} s per endpoint after a 1 s ` +
      'warm-up; latencies are over every response.',
    '',
    '| Endpoint | p50 ms | p95 ms | p99 ms | req/s | mean size | statuses |',
    '|---|---:|---:|---:|---:|---:|---|',
    ...r.endpoints.map((e) =>
      e.latency.samples === 0
        ? `| ${e.description} | no answer within the ${e.durationSeconds} s window | | | 0 | – | – |`
        : `| ${e.description} | ${e.latency.p50} | ${e.latency.p95} | ${e.latency.p99} | ${e.requestsPerSecond} | ` +
          `${kb(e.meanBytes)} | ${Object.entries(e.statuses)
            .map(([status, count]) => `${status}: ${n(count)}`)
            .join(', ')}${e.errors ? `, errors: ${e.errors}` : ''} |`,
    ),
    `| **SQL floor**: the board as one hand-written query (JSON built in Postgres), pg pool of ${r.connections} | ` +
      `${r.floor.latency.p50} | ${r.floor.latency.p95} | ${r.floor.latency.p99} | ${r.floor.requestsPerSecond.toFixed(1)} | ` +
      `${kb(r.floor.bytes)} | – |`,
    `| **SQL floor, one client** | ${r.floorOneClient.latency.p50} | ${r.floorOneClient.latency.p95} | ` +
      `${r.floorOneClient.latency.p99} | ${r.floorOneClient.requestsPerSecond.toFixed(1)} | ${kb(r.floorOneClient.bytes)} | – |`,
    '',
    `**Board / floor** at ${r.connections} clients: ` +
      (r.boardOverFloor.p50 > 0
        ? `p50 ${r.boardOverFloor.p50}×, p95 ${r.boardOverFloor.p95}×, p99 ${r.boardOverFloor.p99}×`
        : 'no board answer to compare') +
      `; with one client: p50 ${r.boardOverFloorOneClient.p50}×, ` +
      `p95 ${r.boardOverFloorOneClient.p95}×; rebuilt after a change, one client: ` +
      `p50 ${r.boardColdOverFloorOneClient.p50}×, p95 ${r.boardColdOverFloorOneClient.p95}×. The floor builds the board in Postgres for every request and ` +
      'sends it uncompressed; Flightdeck builds it once per change and serves that body (gzipped) from its ' +
      'cache until the next change, so a ratio under 1× is the cache at work, not a faster query.',
    '',
  ];
  const b = r.browser;
  if (b && 'skipped' in b) lines.push(`**Browser**: skipped (${b.skipped}).`, '');
  else if (b) {
    lines.push(
      '**Browser** (headless Chromium, 1440×900, cold cache, signed in):',
      '',
      '| Board | Value |',
      '|---|---:|',
      `| Time to first render (first board cell in the DOM) | ${n(b.firstRenderMs)} ms |`,
      `| Time to interactive (end of the last long task) | ${n(b.interactiveMs)} ms |`,
      `| Rows in the DOM after first render (of ${n(r.data.services)}) | ${n(b.renderedRows)} |`,
      `| Scripted scroll (to the bottom, 30 s at most): frames / frames > 50 ms | ${n(b.scroll.frames)} / ${n(b.scroll.slowFrames)} |`,
      `| Scroll frame time p95 / max | ${b.scroll.p95FrameMs} ms / ${b.scroll.maxFrameMs} ms |`,
      `| Initial JavaScript of the first route (${b.initialJsFiles} files, gzip -9) | ${kb(b.initialJsGzipBytes)} |`,
      '',
    );
  }
  return lines.join('\n');
}

// Replaces the measured section of docs/benchmarks.md, keeping the hand-written notes around it.
export function renderMarkdown(result: BenchResult, existing = ''): string {
  const section = `${START}\n${renderResults(result)}${END}`;
  const start = existing.indexOf(START);
  const end = existing.indexOf(END);
  if (start >= 0 && end > start) return existing.slice(0, start) + section + existing.slice(end + END.length);
  return `# Benchmarks\n\n${section}\n`;
}
