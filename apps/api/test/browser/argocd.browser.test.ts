import path from 'node:path';
import type { Board, PromotionPreview } from '@flightdeck/contracts';
import { type FakeArgoCd, type Page, startFakeArgoCd } from '@flightdeck/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArgoCdHealthPoller } from '../../src/drivers/argocd/argocd-health.poller.js';
import type { TestApp } from '../support/test-app.js';
import { browserAvailable, screenshots, useBrowserJourney } from './journey.js';
import { signInThroughUi } from './sign-in.js';

interface Target {
  stageId: string;
  serviceSlug: string;
  serviceName: string;
  environmentName: string;
  version: string;
  commitSha: string;
  running: { version: string; commitSha: string } | null;
}

const ACTIVE = new Set(['pending', 'queued', 'running', 'verifying']);

// A sandbox stage below production with a release ready for it, nothing in flight and nothing in the way,
// so its driver may change and the promotion goes straight through.
async function findReadyStage(app: TestApp): Promise<Target> {
  const { body: board } = await app.get<Board>('/api/v1/board');
  for (const environment of board.environments.filter((e) => e.slug !== 'production')) {
    for (const row of board.rows) {
      const cell = row.cells[environment.id];
      if (!cell?.waiting || cell.driverKind !== 'sandbox' || cell.lock || cell.freeze || cell.hold) continue;
      if (cell.lastDeployment && ACTIVE.has(cell.lastDeployment.status)) continue;
      const { body: preview } = await app.get<PromotionPreview>(`/api/v1/stages/${cell.stageId}/preview`);
      if (!preview.ready || !preview.candidate) continue;
      return {
        stageId: cell.stageId,
        serviceSlug: row.service.slug,
        serviceName: row.service.name,
        environmentName: environment.name,
        version: preview.candidate.version,
        commitSha: preview.candidate.commitSha,
        running: cell.current,
      };
    }
  }
  throw new Error('no demo sandbox stage below production is ready to promote');
}

async function shot(page: Page, name: string, fullPage = false) {
  await page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage });
}

// The same page in both themes: the app follows the system's colour scheme while set to "system".
async function shotBothThemes(page: Page, name: string) {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.locator(`html[data-theme="${colorScheme}"]`).waitFor({ state: 'attached', timeout: 2_000 });
    await shot(page, `${name}-${colorScheme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

describe.runIf(browserAvailable)('browser journey: an Argo CD stage', () => {
  // Started before the app and closed after it, so the health poller never meets a closed server.
  let argo: FakeArgoCd;
  beforeAll(async () => {
    argo = await startFakeArgoCd();
  });
  afterAll(async () => {
    await argo?.close();
  });
  const journey = useBrowserJourney({ FLIGHTDECK_RUNNER_INTERVAL_MS: '200' });

  it('switches a stage to Argo CD in its settings, promotes through it and the board follows sync and health live', async () => {
    const { app, chromium } = journey;
    const target = await findReadyStage(app);
    const application = `${target.serviceSlug}-${target.environmentName.toLowerCase()}`;
    // Live on what the stage runs now, tracking a branch whose head is the release (so the sync leaves it
    // Synced); the sync runs long enough to be seen, health settles quickly.
    argo.setRevision('HEAD', target.commitSha);
    argo.addApplication({
      name: application,
      history: target.running ? [{ revision: target.running.commitSha }] : [],
      pickupMs: 100,
      syncMs: 2_500,
      healthDelayMs: 500,
    });

    const page = await chromium.browser.newPage({ viewport: { width: 1440, height: 900 } });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await signInThroughUi(page, app.url);
    const grid = page.getByRole('grid', { name: 'Promotion board' });
    await grid.waitFor();

    // The service page, and the stage's settings from its pipeline node.
    await grid.getByRole('link', { name: target.serviceName, exact: true }).click();
    const node = page.getByRole('article', { name: `${target.environmentName} stage` });
    await node.waitFor();
    await node.getByRole('button', { name: `Settings of the ${target.environmentName} stage` }).click();
    const settings = page.getByRole('dialog', { name: `${target.environmentName} settings` });
    await settings.getByRole('radio', { name: /^Argo CD/ }).check();
    await settings.getByLabel('Server URL').fill(argo.url);
    await settings.getByLabel('API token').fill(argo.token);
    await settings.getByLabel('Application', { exact: true }).fill(application);
    await settings.getByLabel('Project (optional)').fill('default');
    await settings.getByLabel('A release is deployed as').selectOption({ label: 'Git revision' });
    await settings.getByLabel('Using the release’s').selectOption({ label: 'Commit SHA' });
    await settings.getByLabel('Timeout (seconds)').fill('2');
    await settings.getByLabel('Poll interval (seconds)').fill('1');
    await shotBothThemes(page, 'argocd-settings');
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await settings.waitFor({ state: 'detached' });
    await page
      .getByRole('region', { name: 'Notifications' })
      .getByText(`${target.environmentName} settings saved`)
      .waitFor();
    await node.getByText('Argo CD driver', { exact: true }).waitFor();

    // Saved as typed, the token sealed and never sent back.
    const { body: stage } = await app.get<{ driverKind: string; driverConfig: Record<string, unknown> }>(
      `/api/v1/stages/${target.stageId}`,
    );
    expect(stage.driverKind).toBe('argocd');
    expect(stage.driverConfig).toMatchObject({
      serverUrl: argo.url,
      application,
      project: 'default',
      mapping: { kind: 'revision', value: 'commitSha' },
      tokenSet: true,
    });
    expect(JSON.stringify(stage.driverConfig)).not.toContain(argo.token);

    // Back on the board, the cell is no longer a sandbox.
    await page.getByRole('navigation', { name: 'Primary' }).getByRole('link', { name: 'Board' }).click();
    await grid.waitFor();
    await page.getByText('Live', { exact: true }).waitFor();
    // Set once; a reload would lose it.
    await page.evaluate('window.__sameDocument = true');
    const where = `${target.serviceName} in ${target.environmentName}`;
    const cell = grid.getByRole('gridcell', { name: new RegExp(`^${where}:`) });
    // The board may first show what it had cached, then what the save changed.
    await expect.poll(() => cell.getAttribute('aria-label')).not.toContain('sandbox target');
    expect(await cell.getByText('sandbox', { exact: true }).count()).toBe(0);

    // Preview and deploy through the promotion dialog.
    await cell
      .getByRole('button', {
        name: `Preview promotion of ${target.serviceName} to ${target.environmentName}…`,
      })
      .click();
    const dialog = page.getByRole('dialog', {
      name: `Promote ${target.serviceName} to ${target.environmentName}`,
    });
    const deploy = dialog.getByRole('button', {
      name: `Deploy ${target.version} to ${target.environmentName}`,
    });
    await deploy.waitFor();
    expect(await deploy.isEnabled()).toBe(true);
    expect(await dialog.getByText('Sandbox target', { exact: false }).count()).toBe(0);
    await dialog.getByLabel('Reason (optional)').fill('Browser journey: deploy through Argo CD');
    await deploy.click();
    await dialog.waitFor({ state: 'detached' });

    // Argo CD is asked to sync the application to the release's commit.
    await argo.waitFor(() => argo.requestsFor(application, 'sync').length > 0, 15_000);
    const syncs = argo.requestsFor(application, 'sync');
    expect(syncs).toHaveLength(1);
    expect(syncs[0]!.authorization).toBe(`Bearer ${argo.token}`);
    expect(syncs[0]!.requestBody).toMatchObject({
      name: application,
      project: 'default',
      revision: target.commitSha,
      prune: false,
      dryRun: false,
    });

    // Running while Argo CD syncs, then succeeded and healthy on the new version, pushed live.
    await cell.getByText('Running', { exact: true }).waitFor({ timeout: 10_000 });
    await shot(page, 'argocd-board-running-light');
    await cell.locator('.cell-version', { hasText: target.version }).waitFor({ timeout: 20_000 });
    await cell.getByText('Succeeded', { exact: true }).waitFor({ timeout: 15_000 });
    await cell.getByText('Healthy', { exact: true }).waitFor();
    expect(argo.app(application).history.at(-1)).toMatchObject({ revision: target.commitSha });

    // The health poller (one pass here rather than its 15 s tick) follows Argo CD: degraded, then healthy
    // with the sync status, on the open board.
    const poller = app.server.app.get(ArgoCdHealthPoller);
    // Twice: a pass its own tick had already started would not have seen the change.
    const pollTwice = async () => {
      for (let i = 0; i < 2; i++) expect(await poller.pollOnce()).toMatchObject({ failed: 0 });
    };
    argo.setHealth(application, 'Degraded', 'Deployment has 0/3 ready pods');
    await pollTwice();
    await cell.getByText('Degraded', { exact: true }).waitFor({ timeout: 10_000 });
    await cell.getByTitle('Deployment has 0/3 ready pods', { exact: false }).waitFor();
    await shot(page, 'argocd-board-degraded-light');
    argo.setHealth(application, 'Healthy');
    await pollTwice();
    await cell.getByText('Healthy', { exact: true }).waitFor({ timeout: 10_000 });
    await cell
      .getByTitle(`Argo CD: Synced at ${target.commitSha.slice(0, 7)}`, { exact: false })
      .waitFor({ timeout: 10_000 });
    expect(await page.evaluate<boolean>('window.__sameDocument === true')).toBe(true);
    await shotBothThemes(page, 'argocd-board');
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);
});
