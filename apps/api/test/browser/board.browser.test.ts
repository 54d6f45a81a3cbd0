import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { browserAvailability, launchChromium, type LaunchedBrowser } from '@flightdeck/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SERVICES } from '../../src/demo/demo-catalog.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const repoRoot = path.resolve(import.meta.dirname, '../../../..');
const webDist = path.join(repoRoot, 'apps/web/dist');
const screenshots = path.join(repoRoot, 'test-results/screenshots');
const { available } = browserAvailability();

describe.runIf(available)('browser journey: the promotion board', () => {
  let app: TestApp;
  let chromium: LaunchedBrowser;

  beforeAll(async () => {
    if (!existsSync(path.join(webDist, 'index.html'))) {
      throw new Error('The web app is not built: run `pnpm build` (pnpm check does) before the browser journeys');
    }
    mkdirSync(screenshots, { recursive: true });
    app = await startTestApp({ env: { FLIGHTDECK_WEB_DIST: webDist } });
    chromium = await launchChromium();
  });

  afterAll(async () => {
    await chromium?.close();
    await app?.close();
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`shows every seeded service on the board (${colorScheme})`, async () => {
      const page = await chromium.browser.newPage({ viewport: { width: 1440, height: 900 }, colorScheme });
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      await page.goto(app.url);

      const grid = page.getByRole('grid', { name: 'Promotion board' });
      await grid.waitFor();
      for (const service of DEMO_SERVICES) {
        await expect(grid.getByRole('rowheader').filter({ hasText: service.name }).count()).resolves.toBe(1);
      }
      for (const environment of ['Preview', 'Dev', 'Staging', 'Production']) {
        await expect(grid.getByRole('columnheader').filter({ hasText: environment }).count()).resolves.toBe(1);
      }
      // Status is told in words too, not only by colour.
      await expect(grid.getByText('Succeeded').first().isVisible()).resolves.toBe(true);
      await expect(page.locator('html').getAttribute('data-theme')).resolves.toBe(colorScheme);

      await page.screenshot({ path: path.join(screenshots, `board-${colorScheme}.png`), fullPage: true });
      expect(problems).toEqual([]);
      await page.close();
    });
  }

  it('fits a phone screen', async () => {
    const page = await chromium.browser.newPage({ viewport: { width: 390, height: 844 }, colorScheme: 'light' });
    await page.goto(app.url);
    await page.getByRole('grid', { name: 'Promotion board' }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(screenshots, 'board-mobile.png') });
    await page.close();
  });
});
