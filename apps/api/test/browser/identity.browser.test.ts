import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserAvailable, screenshots, useBrowserJourney } from './journey.js';
import { signInThroughUi } from './sign-in.js';

describe.runIf(browserAvailable)('browser journey: identity and the audit ledger', () => {
  const journey = useBrowserJourney();

  it(
    'signs in, creates an API token, and finds both actions in a verified audit log',
    { timeout: 60_000 },
    async () => {
      const page = await journey.chromium.browser.newPage({
        viewport: { width: 1440, height: 900 },
        colorScheme: 'light',
      });
      page.setDefaultTimeout(10_000);
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(error.message));
      try {
        // A signed-out visitor is sent to the login page and comes back to where they were going.
        await signInThroughUi(page, `${journey.app.url}/settings/tokens`);
        await page.getByRole('heading', { name: 'API tokens', exact: true }).waitFor();
        expect(new URL(page.url()).pathname).toBe('/settings/tokens');

        await page.getByRole('button', { name: 'Create token' }).click();
        const dialog = page.getByRole('dialog', { name: 'Create an API token' });
        await dialog.getByLabel('Name').fill('Release pipeline');
        await dialog.getByRole('checkbox', { name: 'deploy' }).check();
        await dialog.getByRole('button', { name: 'Create token' }).click();
        const secretDialog = page.getByRole('dialog', { name: 'Copy your new token' });
        await secretDialog.waitFor();
        const secret = await secretDialog.locator('input[readonly]').inputValue();
        expect(secret).toMatch(/^fdt_/);
        await page.screenshot({ path: path.join(screenshots, 'token-created.png') });
        await secretDialog.getByRole('button', { name: 'I have copied it' }).click();
        await page.getByRole('table', { name: 'Your API tokens' }).getByText('Release pipeline').waitFor();
        expect(await page.content()).not.toContain(secret);

        // The secret works for CI.
        const ci = await fetch(`${journey.app.url}/api/v1/board`, {
          headers: { authorization: `Bearer ${secret}` },
        });
        expect(ci.status).toBe(200);

        await page.goto(`${journey.app.url}/audit`);
        const table = page.getByRole('table', { name: 'Audit events' });
        await table.waitFor();
        await table.getByText('token.create').first().waitFor();
        await expect(table.getByText('auth.login').count()).resolves.toBeGreaterThan(0);
        await page.getByText(/Chain verified/).waitFor();
        await page.screenshot({ path: path.join(screenshots, 'audit-light.png'), fullPage: false });
        expect(problems).toEqual([]);
      } catch (error) {
        await page.screenshot({ path: path.join(screenshots, 'identity-failure.png') });
        throw error;
      } finally {
        await page.close();
      }
    },
  );
});
