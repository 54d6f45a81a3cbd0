import path from 'node:path';
import type { PromotionPreview, StageDetail } from '@flightdeck/contracts';
import {
  deliverWebhook,
  type FakeGitHub,
  FakeGitHubPayloads,
  type Page,
  startFakeGitHub,
  webhookDelivery,
} from '@flightdeck/test-kit';
import { afterAll, describe, expect, it } from 'vitest';
import { GitHubChecksRefresher } from '../../src/integrations/github/checks.service.js';
import { stageIds } from '../support/test-app.js';
import { gitHubEnv, HOOK_SECRET, serviceOnRepo } from '../github/support.js';
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

  it('requires a CI check in stage settings, the promotion names it as blocking, and the stage deploys through an Actions workflow', async () => {
    const { app, chromium } = journey;
    const repo = await serviceOnRepo(app, gh, 'inventory-sync', {});
    const sha = repo.commit({ message: 'Sync stock in batches' }).sha;
    repo.checkRun(sha, 'build', 'completed', 'failure');
    const created = await app.admin.post('/api/v1/releases', {
      service: 'inventory-sync',
      version: 'v9.0.0-ci',
      commitSha: sha,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const stageId = (await stageIds(app))['inventory-sync/dev']!;

    const page = await chromium.browser.newPage({ viewport: { width: 1440, height: 900 } });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await signInThroughUi(page, app.url);
    await page.getByRole('grid', { name: 'Promotion board' }).waitFor();
    const openSettings = async () => {
      await page.goto(`${app.url}/services/inventory-sync`);
      await page.getByRole('button', { name: 'Settings of the Dev stage' }).click();
      const dialog = page.getByRole('dialog', { name: 'Dev settings' });
      await dialog.getByRole('radio', { name: /Sandbox/ }).waitFor();
      return dialog;
    };

    // A required check, typed in the settings: a blank row is refused by the field first.
    let dialog = await openSettings();
    const checks = dialog.getByRole('group', { name: 'Required CI checks' });
    await checks.getByRole('button', { name: 'Add check' }).click();
    await dialog.getByRole('button', { name: 'Save settings' }).click();
    await checks.getByText('Enter the check’s name, or remove the row.').waitFor();
    await checks.getByRole('textbox', { name: 'Required check 1' }).fill('build');
    await dialog.getByRole('button', { name: 'Save settings' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect((await app.admin.get<StageDetail>(`/api/v1/stages/${stageId}`)).body.requiredChecks).toEqual([
      'build',
    ]);

    // GitHub says the release's build failed: the promotion to Dev is blocked and says which check.
    await app.server.app.get(GitHubChecksRefresher).refreshOnce();
    await expect
      .poll(
        async () =>
          (await app.admin.get<PromotionPreview>(`/api/v1/stages/${stageId}/preview`)).body.gates.find(
            (gate) => gate.kind === 'checks',
          )?.state,
        { timeout: 15_000 },
      )
      .toBe('fail');
    await page.goto(app.url);
    const grid = page.getByRole('grid', { name: 'Promotion board' });
    await grid
      .getByRole('gridcell', { name: /^Inventory Sync in Dev:/ })
      .getByRole('button', { name: 'Preview promotion of Inventory Sync to Dev…' })
      .click();
    const preview = page.getByRole('dialog', { name: 'Promote Inventory Sync to Dev' });
    await preview
      .getByText(/CI failed: build/)
      .first()
      .waitFor();
    expect(await preview.getByRole('button', { name: /^Deploy v9\.0\.0-ci to Dev$/ }).isDisabled()).toBe(
      true,
    );
    await shots(page, 'stage-checks-blocked-preview');
    await page.keyboard.press('Escape');
    await preview.waitFor({ state: 'detached' });

    // The Actions workflow, set in the same dialog.
    dialog = await openSettings();
    await dialog.getByRole('radio', { name: /GitHub Actions/ }).check();
    await shots(page, 'stage-settings-driver-cards');
    await dialog.getByRole('textbox', { name: 'Owner' }).fill(repo.owner);
    await dialog.getByRole('textbox', { name: 'Repository' }).fill(repo.name);
    await dialog.getByRole('textbox', { name: 'Workflow' }).fill('deploy');
    await dialog.getByRole('button', { name: 'Save settings' }).click();
    await dialog
      .getByText('Enter the workflow’s file name, such as deploy.yml, or its numeric id.')
      .waitFor();
    await dialog.getByRole('textbox', { name: 'Workflow' }).fill('deploy.yml');
    // Fixed, so no longer shown as wrong.
    await dialog
      .getByText('Enter the workflow’s file name, such as deploy.yml, or its numeric id.')
      .waitFor({ state: 'detached' });
    await dialog.getByRole('button', { name: 'Add input' }).click();
    await dialog.getByRole('textbox', { name: 'Name of input 1' }).fill('region');
    await dialog.getByRole('textbox', { name: 'Value of input 1' }).fill('eu-west-1');
    await dialog.getByRole('group', { name: 'GitHub Actions' }).scrollIntoViewIfNeeded();
    await shots(page, 'stage-settings-github-actions');
    await dialog.getByRole('button', { name: 'Save settings' }).click();
    await dialog.waitFor({ state: 'detached' });
    const stage = (await app.admin.get<StageDetail>(`/api/v1/stages/${stageId}`)).body;
    expect(stage.driverKind).toBe('github_actions');
    expect(stage.driverConfig).toMatchObject({
      owner: repo.owner,
      repo: repo.name,
      workflow: 'deploy.yml',
      ref: 'main',
      inputs: { region: 'eu-west-1' },
    });
    expect(stage.requiredChecks).toEqual(['build']);

    // Opened again, the dialog shows what was saved.
    dialog = await openSettings();
    expect(await dialog.getByRole('radio', { name: /GitHub Actions/ }).isChecked()).toBe(true);
    expect(await dialog.getByRole('textbox', { name: 'Required check 1' }).inputValue()).toBe('build');
    const status = dialog.getByRole('list', { name: 'CI checks of the next candidate' });
    await status.getByText(/CI failed: build/).waitFor();
    await status.scrollIntoViewIfNeeded();
    await shots(page, 'stage-settings-checks-status');
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);
});
