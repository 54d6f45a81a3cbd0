import path from 'node:path';
import type { Page } from '@flightdeck/test-kit';
import { describe, expect, it } from 'vitest';
import { sql } from '../support/sql.js';
import { browserAvailable, screenshots, useBrowserJourney } from './journey.js';
import { signInThroughUi } from './sign-in.js';
import { findReadyProductionStage } from './targets.js';

async function shot(page: Page, name: string, fullPage = false) {
  await page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage });
}

describe.runIf(browserAvailable)('browser journey: deploying from the board', () => {
  const journey = useBrowserJourney();

  it('promotes a release to production through the dialog and the board follows it live', async () => {
    const { app, chromium } = journey;
    const target = await findReadyProductionStage(app);
    // The sandbox takes two seconds here instead of the demo's 45.
    await sql(
      app.db.url,
      `UPDATE stages SET driver_config = driver_config || '{"durationSeconds": 2, "failureRate": 0}' WHERE id = $1`,
      [target.stageId],
    );

    const page = await chromium.browser.newPage({ viewport: { width: 1440, height: 900 } });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await signInThroughUi(page, app.url);
    const grid = page.getByRole('grid', { name: 'Promotion board' });
    await grid.waitFor();
    await page.getByText('Live', { exact: true }).waitFor();
    // Set once; a reload would lose it.
    await page.evaluate('window.__sameDocument = true');

    const cell = grid.getByRole('gridcell', { name: new RegExp(`^${target.serviceName} in Production:`) });
    await cell
      .getByRole('button', { name: `Preview promotion of ${target.serviceName} to Production…` })
      .click();
    const dialog = page.getByRole('dialog', { name: `Promote ${target.serviceName} to Production` });
    const deploy = dialog.getByRole('button', { name: `Deploy ${target.version} to Production` });
    await deploy.waitFor();
    expect(await deploy.isEnabled()).toBe(true);
    await dialog.getByLabel('Reason (optional)').fill('Browser journey: promote to production');
    await shot(page, 'deploy-dialog-light');
    await deploy.click();
    await dialog.waitFor({ state: 'detached' });

    // The cell moves through running to the new version, pushed by live events: no reload.
    await cell.getByText('Running', { exact: true }).waitFor({ timeout: 15_000 });
    await shot(page, 'board-deploying-light');
    await cell.locator('.cell-version', { hasText: target.version }).waitFor({ timeout: 20_000 });
    await cell.getByText('Succeeded', { exact: true }).waitFor();
    expect(await page.evaluate<boolean>('window.__sameDocument === true')).toBe(true);

    // The toast links to the deployment page, which shows the whole story.
    await page
      .getByRole('region', { name: 'Notifications' })
      .getByRole('link', { name: 'View deployment' })
      .click();
    await page
      .getByRole('heading', { level: 1, name: new RegExp(`^${target.version} to production`) })
      .waitFor();
    await page.getByText('Sandbox', { exact: true }).waitFor();
    await page.getByRole('list', { name: 'Deployment events' }).getByText('Succeeded').first().waitFor();
    await shot(page, 'deployment-light', true);
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  it('starts a release train and shows it with the board in flight, light and dark, desktop and phone', async () => {
    const { app, chromium } = journey;
    const page = await chromium.browser.newPage({ viewport: { width: 1440, height: 900 } });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await signInThroughUi(page, app.url);
    await page.getByRole('grid', { name: 'Promotion board' }).waitFor();

    await page.getByRole('button', { name: 'Release train…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Release train' });
    // Production, with what is ready there ticked, plus a locked service the train must skip with why.
    await dialog.getByLabel('Target environment').selectOption({ label: 'Production' });
    await dialog.getByRole('checkbox', { name: 'Payments Service' }).check();
    await dialog.getByLabel('Reason (optional)').fill('Weekly release to production');
    await shot(page, 'train-dialog-light');
    await dialog.getByRole('button', { name: /^Start train: \d+ services to Production$/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Release train to production' }).waitFor();
    await page.getByRole('table', { name: 'Train deployments' }).waitFor();
    await page.getByRole('list', { name: 'Skipped services' }).getByText('payments-service').waitFor();
    const deploymentUrl =
      app.url +
      (await page
        .getByRole('table', { name: 'Train deployments' })
        .getByRole('link', { name: 'View deployment' })
        .first()
        .getAttribute('href'))!;
    await shot(page, 'train-light', true);

    for (const colorScheme of ['light', 'dark'] as const) {
      for (const viewport of [
        { name: 'desktop', width: 1440, height: 900 },
        { name: 'phone', width: 390, height: 844 },
      ]) {
        const view = await chromium.browser.newPage({ viewport, colorScheme });
        await signInThroughUi(view, app.url);
        const grid = view.getByRole('grid', { name: 'Promotion board' });
        await grid.waitFor();
        const flying = grid.getByText(/^(Pending|Queued|Running|Verifying)$/).first();
        await flying.waitFor();
        await flying.scrollIntoViewIfNeeded();
        await shot(view, `board-in-flight-${colorScheme}-${viewport.name}`);
        await view.goto(page.url());
        await view.getByRole('table', { name: 'Train deployments' }).waitFor();
        await shot(view, `train-${colorScheme}-${viewport.name}`, true);
        await view.goto(deploymentUrl);
        await view.getByRole('list', { name: 'Deployment events' }).waitFor();
        await shot(view, `deployment-${colorScheme}-${viewport.name}`, true);
        const overflow = await view.evaluate<number>(
          'document.documentElement.scrollWidth - window.innerWidth',
        );
        expect(overflow, `${colorScheme} ${viewport.name} train page`).toBeLessThanOrEqual(0);
        await view.close();
      }
    }
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);
});
