// `pnpm exec tsx scripts/profile-board.ts [--web-dist DIR] [--runs N] [--loads N] [--screenshots DIR]
//   [--keep | --reuse fd_…] [--trace FILE]`
// Profiles the board at 1,000 services × 5 environments in headless Chromium: seeds a database of its own
// (the bench's catalog, with a short history: the board reads only each stage's state), starts the built
// API serving the given web build, signs in (the API writes its admin, session and audit rows: reuse only
// a database of your own), reloads the board `--loads` times for its time to first render, scrolls to the
// bottom 300 px per frame like the bench, and prints the frame times, Chromium's script/layout/style/paint
// totals for the scroll and the functions with the most self time (build the web app with
// `--minify false` for readable names).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { chromium, type Page } from 'playwright-core';
import { apiEnv, BENCH_ADMIN_EMAIL, BENCH_ADMIN_PASSWORD, builtApiStarter } from './bench/api.js';
import { CHROMIUM_PATH } from './bench/browser.js';
import { createBenchDatabase, DEFAULT_SERVER_URL, existingDatabase } from './bench/database.js';
import { seedBenchData } from './bench/seed.js';

const repoRoot = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    'web-dist': { type: 'string', default: path.join(repoRoot, 'apps/web/dist') },
    runs: { type: 'string', default: '3' },
    loads: { type: 'string', default: '3' },
    screenshots: { type: 'string' },
    reuse: { type: 'string' },
    keep: { type: 'boolean', default: false },
    trace: { type: 'string' },
  },
});
const serverUrl = process.env['BENCH_DATABASE_URL'] ?? DEFAULT_SERVER_URL;
const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

// The same scroll as scripts/bench/browser.ts: 300 px per frame to the bottom, each frame's duration.
const SCROLL = `(async () => {
  const scroller = document.querySelector('.board-scroll');
  scroller.scrollTop = 0;
  await new Promise((resolve) => setTimeout(resolve, 300));
  const frames = [];
  let last = await new Promise((resolve) => requestAnimationFrame(resolve));
  const until = performance.now() + 30000;
  for (let i = 0; i < 2000 && performance.now() < until && scroller.scrollTop + scroller.clientHeight < scroller.scrollHeight - 1; i++) {
    scroller.scrollTop += 300;
    const now = await new Promise((resolve) => requestAnimationFrame(resolve));
    frames.push(now - last);
    last = now;
  }
  return frames;
})()`;

// Installed before each page's scripts: when the first board cell enters the DOM, and the end of the
// frame that paints it (a task queued from the next animation frame runs after that frame's paint).
const FIRST_RENDER_PROBE = `(() => {
  const probe = (window.__boardFirstRender = {});
  performance.setResourceTimingBufferSize(5000);
  new MutationObserver((_, observer) => {
    if (!document.querySelector('td[role="gridcell"]')) return;
    observer.disconnect();
    probe.cellsMs = performance.now();
    requestAnimationFrame(() => setTimeout(() => { probe.paintedMs = performance.now(); }));
  }).observe(document, { childList: true, subtree: true });
})()`;

const BOARD_RESOURCE = `performance
  .getEntriesByType('resource')
  .find((entry) => new URL(entry.name).pathname === '/api/v1/board')`;

// Milliseconds from navigation: the board's response in, its first cells in the DOM, and painted.
async function firstRender(page: Page) {
  await page.reload();
  await page.waitForFunction('window.__boardFirstRender?.paintedMs !== undefined', undefined, {
    timeout: 120_000,
  });
  // The board's resource entry is recorded once its body is read, which may be after the paint.
  await page.waitForFunction(BOARD_RESOURCE, undefined, { timeout: 30_000 }).catch(() => undefined);
  return page.evaluate<Record<string, number>>(`(() => {
    const probe = window.__boardFirstRender;
    const board = (${BOARD_RESOURCE});
    return {
      responseMs: Math.round(board ? board.responseEnd : -1),
      cellsMs: Math.round(probe.cellsMs),
      paintedMs: Math.round(probe.paintedMs),
    };
  })()`);
}

interface TraceEvent {
  name: string;
  ph: string;
  dur?: number;
  tid: number;
}

interface CpuNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

// Self time per function from a CDP CPU profile (sample counts × interval).
function topFunctions(profile: { nodes: CpuNode[]; samples: number[]; timeDeltas: number[] }, count: number) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, index) => {
    const frame = byId.get(id)?.callFrame;
    if (!frame) return;
    const key = `${frame.functionName || '(anonymous)'} ${path.basename(frame.url)}:${frame.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000);
  });
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, ms]) => `${ms.toFixed(0).padStart(6)} ms  ${name}`);
}

const METRICS = ['ScriptDuration', 'LayoutDuration', 'RecalcStyleDuration', 'TaskDuration', 'LayoutCount'];

// Paint on the renderer's main thread and raster on its workers, summed from a trace (the Performance
// domain has no paint metric). Tracing runs on every scroll so runs and builds compare alike.
const PAINT_EVENTS = new Set(['PrePaint', 'Paint', 'PaintImage', 'Layerize', 'UpdateLayerTree']);
const RASTER_EVENTS = new Set(['RasterTask']);

function traceTotals(events: readonly TraceEvent[]) {
  const sum = (names: Set<string>) =>
    Math.round(
      events
        .filter((event) => event.ph === 'X' && names.has(event.name))
        .reduce((total, event) => total + (event.dur ?? 0), 0) / 1000,
    );
  return { PaintDuration: sum(PAINT_EVENTS), RasterDuration: sum(RASTER_EVENTS) };
}

async function scrollOnce(page: Page, traceFile?: string) {
  const cdp = await page.context().newCDPSession(page);
  const traceEvents: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (event) => traceEvents.push(...(event.value as unknown as TraceEvent[])));
  await cdp.send('Tracing.start', {
    categories: 'devtools.timeline,disabled-by-default-devtools.timeline',
    transferMode: 'ReportEvents',
  });
  await cdp.send('Performance.enable');
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  const metrics = async () => {
    const { metrics: list } = await cdp.send('Performance.getMetrics');
    return Object.fromEntries(list.map((metric) => [metric.name, metric.value]));
  };
  const before = await metrics();
  await cdp.send('Profiler.start');
  const frames = await page.evaluate<number[]>(SCROLL);
  const { profile } = await cdp.send('Profiler.stop');
  const after = await metrics();
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.end');
  await complete;
  if (traceFile) writeFileSync(traceFile, JSON.stringify({ traceEvents }));
  await cdp.detach();
  const sorted = [...frames].sort((a, b) => a - b);
  const percentile = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1)] ?? 0;
  const totals: Record<string, number> = {
    ...Object.fromEntries(
      METRICS.map((name) => {
        const delta = (after[name] ?? 0) - (before[name] ?? 0);
        return [name, name.endsWith('Count') ? delta : Math.round(delta * 1000)];
      }),
    ),
    ...traceTotals(traceEvents),
  };
  // Runs stop at 30 s, so a faster board scrolls further: per frame compares builds.
  const perFrame = Object.fromEntries(
    ['ScriptDuration', 'LayoutDuration', 'RecalcStyleDuration', 'PaintDuration', 'RasterDuration'].map(
      (name) => [name.replace('Duration', ''), Math.round((totals[name] ?? 0) / Math.max(frames.length, 1))],
    ),
  );
  return {
    frames: frames.length,
    slowFrames: frames.filter((ms) => ms > 50).length,
    slowPercent: Math.round((100 * frames.filter((ms) => ms > 50).length) / Math.max(frames.length, 1)),
    p50FrameMs: Math.round(percentile(0.5)),
    p95FrameMs: Math.round(percentile(0.95)),
    maxFrameMs: Math.round(sorted[sorted.length - 1] ?? 0),
    totals,
    perFrameMs: perFrame,
    top: topFunctions(profile as never, 15),
  };
}

const database = values.reuse
  ? existingDatabase(serverUrl, values.reuse)
  : await createBenchDatabase(serverUrl);
try {
  if (!values.reuse) {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const size = {
        name: 'profile',
        services: 1000,
        releasesPerService: 4,
        deploymentsPerStage: 4,
        auditEvents: 0,
        durationSeconds: 0,
      };
      await seedBenchData(client, size, log);
    } finally {
      await client.end();
    }
  }
  const api = await builtApiStarter(repoRoot)(apiEnv(database.url, path.resolve(values['web-dist'])));
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await context.addInitScript(FIRST_RENDER_PROBE);
    const page = await context.newPage();
    await page.goto(api.url, { timeout: 120_000 });
    await page.getByRole('textbox', { name: 'E-mail' }).fill(BENCH_ADMIN_EMAIL);
    await page.getByLabel('Password', { exact: true }).fill(BENCH_ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('grid', { name: 'Promotion board' }).waitFor({ timeout: 120_000 });
    await page.waitForTimeout(1500);
    for (let load = 1; load <= Number(values.loads); load++) {
      log(`first render ${load} (ms from navigation): ${JSON.stringify(await firstRender(page))}`);
    }
    await page.waitForTimeout(1500);
    for (let run = 1; run <= Number(values.runs); run++) {
      const result = await scrollOnce(page, run === 1 ? values.trace : undefined);
      log(`run ${run}: ${JSON.stringify({ ...result, top: undefined })}`);
      if (run === Number(values.runs)) for (const line of result.top) console.log(line);
    }
    if (values.screenshots) {
      for (const theme of ['light', 'dark'] as const) {
        await page.evaluate(`localStorage.setItem('flightdeck.theme', '${theme}')`);
        await page.reload();
        await page.getByRole('grid', { name: 'Promotion board' }).waitFor({ timeout: 120_000 });
        await page.waitForTimeout(1000);
        // A hovered cell shows its actions.
        await page.getByRole('gridcell').nth(6).hover();
        await page.waitForTimeout(300);
        const file = path.join(values.screenshots, `board-${theme}.png`);
        await page.screenshot({ path: file });
        log(`screenshot: ${file}`);
      }
    }
  } finally {
    await browser.close();
    await api.close();
  }
} finally {
  if (values.keep || values.reuse) log(`kept database ${database.name}`);
  else await database.drop();
}
process.exit(0);
