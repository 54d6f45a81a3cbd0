import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserAvailable, screenshots, useBrowserJourney } from '../browser/journey.js';
import { signInThroughUi } from '../browser/sign-in.js';

// FLIGHTDECK_WEB_DIST lets a run point at a web build made elsewhere (e.g. while others rebuild apps/web/dist).
const webDist = process.env.FLIGHTDECK_WEB_DIST;
const env: Record<string, string> = webDist ? { FLIGHTDECK_WEB_DIST: webDist } : {};

describe.runIf(browserAvailable)('browser journey: deployment windows on the Freezes page', () => {
  const journey = useBrowserJourney(env);

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`adds a window from the keyboard and shows it with its status (${colorScheme})`, async () => {
      const page = await journey.chromium.browser.newPage({
        viewport: { width: 1280, height: 900 },
        colorScheme,
        timezoneId: 'Europe/Berlin',
      });
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      await signInThroughUi(page, journey.app.url);
      await page.getByRole('grid', { name: 'Promotion board' }).waitFor();
      await page.goto(`${journey.app.url}/freezes`);
      await page.getByRole('heading', { name: 'Deployment windows' }).waitFor();

      const name = `Office hours ${colorScheme}`;
      const add = page.getByRole('button', { name: 'Add a window to Production' });
      await add.focus();
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: 'Add a deployment window' });
      await dialog.waitFor();
      await expect(dialog.getByLabel('Environment').inputValue()).resolves.toBe('production');
      await expect(dialog.getByLabel('Time zone').inputValue()).resolves.toBe('Europe/Berlin');
      await dialog.getByLabel('Name').fill(name);
      await page.keyboard.press('Enter');
      await dialog.waitFor({ state: 'hidden' });

      const table = page.getByRole('table', { name: 'Production' });
      const row = table.getByRole('row').filter({ hasText: name });
      await row.waitFor();
      await expect(row.innerText()).resolves.toContain('Mon–Fri 09:00 for 8 h, Europe/Berlin');
      await expect(row.innerText()).resolves.toMatch(/Open now until|Next opens/);
      await expect(page.locator('html').getAttribute('data-theme')).resolves.toBe(colorScheme);
      await page.screenshot({ path: path.join(screenshots, `windows-${colorScheme}.png`), fullPage: true });

      await row.getByRole('button', { name: /^Remove window/ }).click();
      const confirm = page.getByRole('dialog', { name: 'Remove this window?' });
      await confirm.getByRole('button', { name: 'Remove window' }).click();
      await confirm.waitFor({ state: 'hidden' });
      await row.waitFor({ state: 'detached' });
      expect(problems).toEqual([]);
      await page.close();
    });
  }
});
