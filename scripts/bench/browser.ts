import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export interface BrowserResult {
  // From navigation start to the first board cell in the DOM.
  firstRenderMs: number;
  // From navigation start to the end of the last long task (> 50 ms) after the first render: from then on
  // a key press is handled at once. At least firstRenderMs.
  interactiveMs: number;
  // A scripted scroll through the board, 300 px per frame, to the bottom or for 30 s at most.
  scroll: { frames: number; slowFrames: number; p95FrameMs: number; maxFrameMs: number };
  // Board rows in the DOM after the first render (virtualised: far fewer than services).
  renderedRows: number;
  // Every script the first route loaded, gzipped (level 9) from apps/web/dist.
  initialJsGzipBytes: number;
  initialJsFiles: number;
}

// Runs before the app: records when the first board cell appears and every long task.
const PROBE = `
  window.__bench = { firstCell: null, longTasks: [] };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__bench.longTasks.push([entry.startTime, entry.duration]);
  }).observe({ type: 'longtask', buffered: true });
  new MutationObserver((_, observer) => {
    if (document.querySelector('td[role="gridcell"]')) {
      window.__bench.firstCell = performance.now();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
`;

const SCROLL = `(async () => {
  const scroller = document.querySelector('.board-scroll');
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

export async function measureBrowser(options: {
  url: string;
  email: string;
  password: string;
  webDist: string;
}): Promise<BrowserResult | { skipped: string }> {
  if (!existsSync(CHROMIUM_PATH)) return { skipped: `no Chromium at ${CHROMIUM_PATH}` };
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const signIn = await context.newPage();
    await signIn.goto(options.url, { timeout: 120_000 });
    await signIn.getByRole('textbox', { name: 'E-mail' }).fill(options.email);
    await signIn.getByLabel('Password', { exact: true }).fill(options.password);
    await signIn.getByRole('button', { name: 'Sign in' }).click();
    await signIn.getByRole('grid', { name: 'Promotion board' }).waitFor({ timeout: 120_000 });
    await signIn.close();

    // A cold visit of the board with the session already there: nothing cached but the cookie.
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await page.addInitScript(PROBE);
    const scripts = new Set<string>();
    page.on('response', (response) => {
      if (response.request().resourceType() === 'script') scripts.add(new URL(response.url()).pathname);
    });
    await page.goto(options.url, { timeout: 120_000 });
    await page.locator('td[role="gridcell"]').first().waitFor({ timeout: 120_000 });
    // Quiet for a second: every long task of the first load has ended.
    await page.waitForTimeout(1500);
    const probe = await page.evaluate<{ firstCell: number; longTasks: [number, number][]; rows: number }>(
      `({ ...window.__bench, rows: document.querySelectorAll('.board-grid tbody tr th[data-row]').length })`,
    );
    const lastLongTaskEnd = Math.max(0, ...probe.longTasks.map(([start, duration]) => start + duration));
    const frames = await page.evaluate<number[]>(SCROLL);
    const sorted = [...frames].sort((a, b) => a - b);
    let gzipped = 0;
    for (const script of scripts) {
      const file = path.join(options.webDist, script);
      if (existsSync(file)) gzipped += gzipSync(readFileSync(file), { level: 9 }).length;
    }
    const round = (ms: number) => Math.round(ms);
    return {
      firstRenderMs: round(probe.firstCell),
      interactiveMs: round(Math.max(probe.firstCell, lastLongTaskEnd)),
      scroll: {
        frames: frames.length,
        slowFrames: frames.filter((ms) => ms > 50).length,
        p95FrameMs: round(sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)] ?? 0),
        maxFrameMs: round(sorted[sorted.length - 1] ?? 0),
      },
      renderedRows: probe.rows,
      initialJsGzipBytes: gzipped,
      initialJsFiles: scripts.size,
    };
  } finally {
    await browser.close();
  }
}
