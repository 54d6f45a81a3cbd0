import path from 'node:path';
import type { Page } from '@flightdeck/test-kit';
import { startFakeNotificationReceiver, type FakeNotificationReceiver } from '@flightdeck/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, screenshots, useBrowserJourney } from './journey.js';
import { signInThroughUi } from './sign-in.js';

async function shot(page: Page, name: string, fullPage = false) {
  await page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage });
}

describe.runIf(browserAvailable)('browser journey: notification channels', () => {
  const journey = useBrowserJourney({ FLIGHTDECK_RUNNER_INTERVAL_MS: '200' });
  let receiver: FakeNotificationReceiver;
  beforeAll(async () => {
    receiver = await startFakeNotificationReceiver({ secret: 'a browser journey secret' });
  });
  afterAll(async () => {
    await receiver?.close();
  });

  it(
    'adds a signed webhook channel, sends a test that fails once and is retried, and reads the log',
    { timeout: 90_000 },
    async () => {
      const { app, chromium } = journey;
      receiver.queue([{ status: 503 }], '/hooks/ops');
      const page = await chromium.browser.newPage({ viewport: { width: 1440, height: 900 } });
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(error.message));
      await signInThroughUi(page, app.url);
      await page.getByRole('grid', { name: 'Promotion board' }).waitFor();

      await page.goto(`${app.url}/admin/notifications`);
      await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
      await page.getByRole('button', { name: 'Add channel' }).click();
      const dialog = page.getByRole('dialog', { name: 'Add a notification channel' });
      await dialog.getByLabel('Kind').selectOption('webhook');
      await dialog.getByLabel('Name').fill('Ops webhook');
      await dialog.getByLabel('URL').fill(`${receiver.url}/hooks/ops`);
      await dialog.getByLabel('Secret').fill('a browser journey secret');
      await dialog.getByLabel('Deployment failed').check();
      await dialog.getByLabel('Rollback requested').check();
      await shot(page, 'notifications-channel-dialog-light');
      await dialog.getByRole('button', { name: 'Add channel' }).click();
      await dialog.waitFor({ state: 'detached' });

      const channels = page.getByRole('table', { name: 'Notification channels' });
      await channels.getByText('Ops webhook').waitFor();
      await page.getByRole('button', { name: 'Send a test to Ops webhook' }).click();
      // 503 first, then delivered on the retry; the log follows by itself.
      const log = page.getByRole('table', { name: 'Deliveries' });
      await log.getByText('Delivered').waitFor({ timeout: 20_000 });
      await log.getByText('2 attempts · last HTTP 200').click();
      await log.getByText(/HTTP 503 in \d+ ms — The receiver answered HTTP 503/).waitFor();
      expect(receiver.requests.filter((r) => r.path === '/hooks/ops').every((r) => r.signatureValid)).toBe(
        true,
      );
      await shot(page, 'notifications-page-light', true);

      const dark = await chromium.browser.newPage({
        viewport: { width: 390, height: 844 },
        colorScheme: 'dark',
      });
      await signInThroughUi(dark, app.url);
      await dark.getByRole('grid', { name: 'Promotion board' }).waitFor();
      await dark.goto(`${app.url}/admin/notifications`);
      await dark.getByRole('table', { name: 'Deliveries' }).getByText('Delivered').waitFor();
      await shot(dark, 'notifications-page-dark-phone', true);
      expect(problems).toEqual([]);
    },
  );
});
