import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_SERVICES } from '../../src/demo/demo-catalog.js';
import { browserAvailable, screenshots, useBrowserJourney } from './journey.js';
import { signInThroughUi } from './sign-in.js';

describe.runIf(browserAvailable)('browser journey: the promotion board', () => {
  const journey = useBrowserJourney();

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`shows every seeded service on the board (${colorScheme})`, async () => {
      const page = await journey.chromium.browser.newPage({
        viewport: { width: 1440, height: 900 },
        colorScheme,
      });
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      await signInThroughUi(page, journey.app.url);

      const grid = page.getByRole('grid', { name: 'Promotion board' });
      await grid.waitFor();
      const rowHeaders = await grid.getByRole('rowheader').allInnerTexts();
      expect(rowHeaders).toHaveLength(DEMO_SERVICES.length);
      for (const service of DEMO_SERVICES) {
        expect(
          rowHeaders.filter((text) => text.includes(service.name)),
          service.name,
        ).toHaveLength(1);
      }
      // Environments in promotion order, each header led by its name.
      const columnHeaders = await grid.getByRole('columnheader').allInnerTexts();
      const names = columnHeaders.map((text) => text.trim().split('\n')[0]!.trim()).filter(Boolean);
      expect(names.slice(-4)).toEqual(['Preview', 'Dev', 'Staging', 'Production']);
      // Status is told in words too, not only by colour.
      await expect(grid.getByText('Succeeded').first().isVisible()).resolves.toBe(true);
      await expect(page.locator('html').getAttribute('data-theme')).resolves.toBe(colorScheme);

      await page.screenshot({ path: path.join(screenshots, `board-${colorScheme}.png`), fullPage: true });
      expect(problems).toEqual([]);
      await page.close();
    });
  }

  it('fits a phone screen', async () => {
    const page = await journey.chromium.browser.newPage({
      viewport: { width: 390, height: 844 },
      colorScheme: 'light',
    });
    await signInThroughUi(page, journey.app.url);
    await page.getByRole('grid', { name: 'Promotion board' }).waitFor();
    // A string expression: the API's type environment has no DOM.
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(screenshots, 'board-mobile.png') });
    await page.close();
  });
});
