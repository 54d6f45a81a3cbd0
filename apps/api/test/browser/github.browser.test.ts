import path from 'node:path';
import {
  deliverWebhook,
  type FakeGitHub,
  FakeGitHubPayloads,
  type Page,
  startFakeGitHub,
  webhookDelivery,
} from '@flightdeck/test-kit';
import { afterAll, describe, expect, it } from 'vitest';
import { gitHubEnv, HOOK_SECRET } from '../github/support.js';
import { browserAvailable, screenshots, useBrowserJourney } from './journey.js';
import { signInThroughUi } from './sign-in.js';

async function shots(page: Page, name: string) {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.locator(`html[data-theme="${colorScheme}"]`).waitFor({ state: 'attached', timeout: 2_000 });
    await page.screenshot({ path: path.join(screenshots, `${name}-${colorScheme}.png`), fullPage: false });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

// The fake GitHub must exist before the app starts (its URL and App key are configuration).
const gh: FakeGitHub = await startFakeGitHub();
afterAll(() => gh.close());

describe.skipIf(!browserAvailable)('GitHub releases journey', () => {
  const journey = useBrowserJourney(gitHubEnv(gh));

  it('sets a service to release from published GitHub releases, and a signed delivery makes one', async () => {
    const { app, chromium } = journey;
    const repo = gh.addRepo('acme', 'checkout-api');
    const page = await chromium.browser.newPage({ viewport: { width: 1440, height: 900 } });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await signInThroughUi(page, app.url);
    await page.getByRole('grid', { name: 'Promotion board' }).waitFor();
    await page.goto(`${app.url}/services/checkout-api`);
    const section = page.getByRole('region', { name: 'Releases from GitHub' });
    await section.getByText('No GitHub event makes a release of this service.').waitFor();

    await section.getByRole('button', { name: 'Edit rules' }).click();
    const dialog = page.getByRole('dialog', { name: 'Releases from GitHub' });
    await dialog.getByRole('checkbox', { name: /A published GitHub release/ }).check();
    await dialog.getByRole('checkbox', { name: /A successful workflow run/ }).check();
    await dialog.getByRole('textbox', { name: 'Only this workflow (optional)' }).fill('Deploy');
    await shots(page, 'github-rules-dialog');
    await dialog.getByRole('button', { name: 'Save rules' }).click();
    await dialog.waitFor({ state: 'detached' });
    await section.getByText(/A release is made from a successful run of the “Deploy” workflow/).waitFor();

    repo.commit({ message: 'Faster checkout' });
    const release = repo.release({ tag: 'v7.1.0', body: 'Faster checkout' });
    const delivery = webhookDelivery(
      HOOK_SECRET,
      'release',
      new FakeGitHubPayloads(gh).release(repo, release),
    );
    expect((await deliverWebhook(`${app.url}/api/v1/integrations/github/webhook`, delivery)).status).toBe(
      202,
    );
    await expect
      .poll(
        async () =>
          (
            await app.admin.get<{ recentDeliveries: Array<{ state: string }> }>(
              '/api/v1/services/checkout-api/github',
            )
          ).body.recentDeliveries[0]?.state,
        { timeout: 15_000 },
      )
      .toBe('done');
    await page.reload();
    await section.getByText('checkout-api v7.1.0 created').waitFor();
    await section.scrollIntoViewIfNeeded();
    await shots(page, 'github-service-panel');
    await page.setViewportSize({ width: 390, height: 844 });
    await section.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(screenshots, 'github-service-panel-phone.png') });
    expect(problems).toEqual([]);
    await page.close();
  });
});
