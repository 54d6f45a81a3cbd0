import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserAvailable, screenshots, useBrowserJourney } from '../browser/journey.js';
import { signInThroughUi } from '../browser/sign-in.js';

const KEYS = ['Deployment frequency', 'Lead time for changes', 'Change failure rate', 'Time to restore'];

// The Metrics page over the demo's month of history, in both themes and on a phone.
describe.runIf(browserAvailable)('browser journey: delivery metrics', () => {
  const journey = useBrowserJourney();

  it('shows the four keys with bands in words and charts, light and dark, and fits a phone', async () => {
    const page = await journey.chromium.browser.newPage({ viewport: { width: 1440, height: 1000 } });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await signInThroughUi(page, journey.app.url);
    await page.getByRole('navigation', { name: 'Primary' }).getByRole('link', { name: 'Metrics' }).click();
    for (const key of KEYS) {
      const tile = page.getByRole('region', { name: key });
      await tile.waitFor();
      // Every figure has a band in words (or says there is no data).
      await expect(tile.locator('.status-label').innerText()).resolves.toMatch(
        /^(Elite|High|Medium|Low|No data)$/,
      );
    }
    // The demo's month has production changes with commit times, and a rollback or two.
    await expect(page.getByRole('region', { name: 'Deployment frequency' }).innerText()).resolves.toMatch(
      /[1-9]\d* changes reached production/,
    );
    await expect(page.getByRole('region', { name: 'Change failure rate' }).innerText()).resolves.toMatch(
      /[1-9]\d* of \d+ changes failed/,
    );
    await expect(page.getByText('Production tiers').count()).resolves.toBe(1);
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await page.screenshot({ path: path.join(screenshots, `metrics-${colorScheme}.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(screenshots, 'metrics-mobile.png') });
    expect(problems).toEqual([]);
    await page.close();
  });
});
