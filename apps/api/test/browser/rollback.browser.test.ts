import path from 'node:path';
import type { Board, PromotionPreview, RollbackOptions } from '@flightdeck/contracts';
import type { Page } from '@flightdeck/test-kit';
import { describe, expect, it } from 'vitest';
import { sql } from '../support/sql.js';
import type { TestApp } from '../support/test-app.js';
import { browserAvailable, screenshots, useBrowserJourney } from './journey.js';
import { signInThroughUi } from './sign-in.js';

interface Target {
  stageId: string;
  serviceName: string;
  current: string;
  target: string;
  reverted: string[];
}

// A demo service whose production stage runs a release with an earlier successful one to go back to,
// nothing in flight, and no gate that refuses the rollback.
async function findRollbackableProductionStage(app: TestApp): Promise<Target> {
  const { body: board } = await app.get<Board>('/api/v1/board');
  const production = board.environments.find((environment) => environment.slug === 'production')!;
  for (const row of board.rows) {
    const cell = row.cells[production.id];
    if (!cell?.current || cell.lock || cell.hold) continue;
    const { body: options } = await app.get<RollbackOptions>(`/api/v1/stages/${cell.stageId}/rollback`);
    if (!options.current || !options.defaultTarget || options.active) continue;
    const { body: preview } = await app.get<PromotionPreview>(
      `/api/v1/stages/${cell.stageId}/preview?release=${options.defaultTarget.id}`,
    );
    if (preview.changes.direction !== 'backward' || preview.gates.some((gate) => gate.state === 'fail')) {
      continue;
    }
    return {
      stageId: cell.stageId,
      serviceName: row.service.name,
      current: options.current.version,
      target: options.defaultTarget.version,
      reverted: preview.changes.releases.map((release) => release.version),
    };
  }
  throw new Error('no demo service can be rolled back in production');
}

async function shot(page: Page, name: string, fullPage = false) {
  await page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage });
}

describe.runIf(browserAvailable)('browser journey: rolling back from the board', () => {
  const journey = useBrowserJourney();

  it('rolls production back with a reason, shows what is reverted, follows it live and shows the hold', async () => {
    const { app, chromium } = journey;
    const target = await findRollbackableProductionStage(app);
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
    await cell.getByRole('button', { name: `Roll back ${target.serviceName} in Production…` }).click();
    const dialog = page.getByRole('dialog', { name: `Roll back ${target.serviceName} in Production` });
    const submit = dialog.getByRole('button', { name: `Roll back to ${target.target}` });
    await submit.waitFor();

    // The previous successful release is picked, and the dialog lists what goes away, newest first.
    expect(
      await dialog.getByRole('radio', { name: new RegExp(`^${escape(target.target)}`) }).isChecked(),
    ).toBe(true);
    const reverted = dialog.getByRole('table', { name: 'Releases reverted' });
    await reverted.waitFor();
    expect(await reverted.getByRole('rowheader').allTextContents()).toEqual(target.reverted);
    expect(target.reverted[0]).toBe(target.current);

    // No reason, no rollback.
    await submit.click();
    await dialog.getByText('Say why, in a few words.').waitFor();
    await dialog.getByLabel('Reason').fill('Browser journey: error rate up after the release');
    await shot(page, 'rollback-dialog-light');
    await submit.click();
    await dialog.waitFor({ state: 'detached' });

    // The cell moves back to the target, pushed by live events: no reload.
    await cell.locator('.cell-version', { hasText: target.target }).waitFor({ timeout: 30_000 });
    await cell.getByText('Succeeded', { exact: true }).waitFor();
    await cell.getByText('Rollback', { exact: true }).waitFor();
    const hold = cell.locator('.cell-marker[data-kind="hold"]');
    await hold.waitFor();
    expect(await hold.textContent()).toContain(`Held: ${target.current}`);
    expect(await page.evaluate<boolean>('window.__sameDocument === true')).toBe(true);

    // The reason shows on hover.
    await hold.hover();
    const tooltip = page.getByRole('tooltip');
    await tooltip.waitFor();
    expect(await tooltip.textContent()).toContain(`${target.current} may not come back here`);
    await cell.scrollIntoViewIfNeeded();
    await shot(page, 'rollback-held-cell-light');

    // The deployment page tells the story.
    await page
      .getByRole('region', { name: 'Notifications' })
      .getByRole('link', { name: 'View deployment' })
      .click();
    await page
      .getByRole('heading', { level: 1, name: new RegExp(`^${escape(target.target)} to production`) })
      .waitFor();
    await page.getByText('Rollback of', { exact: false }).first().waitFor();
    expect(problems).toEqual([]);
    await page.close();

    // Light and dark, desktop and phone: the dialog (opened again, now from the held stage) and the held cell.
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const viewport of [
        { name: 'desktop', width: 1440, height: 900 },
        { name: 'phone', width: 390, height: 844 },
      ]) {
        const view = await chromium.browser.newPage({ viewport, colorScheme });
        await signInThroughUi(view, app.url);
        const viewGrid = view.getByRole('grid', { name: 'Promotion board' });
        await viewGrid.waitFor();
        const viewCell = viewGrid.getByRole('gridcell', {
          name: new RegExp(`^${target.serviceName} in Production:`),
        });
        await viewCell.scrollIntoViewIfNeeded();
        await viewCell.locator('.cell-marker[data-kind="hold"]').waitFor();
        await shot(view, `rollback-held-cell-${colorScheme}-${viewport.name}`);
        await viewCell
          .getByRole('button', { name: `Roll back ${target.serviceName} in Production…` })
          .click();
        const viewDialog = view.getByRole('dialog', {
          name: `Roll back ${target.serviceName} in Production`,
        });
        // It may have nothing older to go back to now; the hold shows either way.
        await viewDialog.getByText(`Held: ${target.current}`).waitFor();
        await shot(view, `rollback-dialog-${colorScheme}-${viewport.name}`);
        const overflow = await view.evaluate<number>(
          '(b => b.scrollWidth - b.clientWidth)(document.querySelector("dialog[open] .dialog-body"))',
        );
        expect(overflow, `${colorScheme} ${viewport.name} rollback dialog`).toBeLessThanOrEqual(0);
        await view.close();
      }
    }
  }, 150_000);
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
