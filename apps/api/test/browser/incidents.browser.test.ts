import path from 'node:path';
import type { Board, Deployment, Incident, RollbackOptions } from '@flightdeck/contracts';
import type { Page } from '@flightdeck/test-kit';
import { describe, expect, it } from 'vitest';
import { sql } from '../support/sql.js';
import type { TestApp } from '../support/test-app.js';
import { browserAvailable, screenshots, useBrowserJourney } from './journey.js';
import { signInThroughUi } from './sign-in.js';

// A demo production stage with something to go back to and nothing in flight, and the deployment
// that brought what runs there now.
async function findSuspect(app: TestApp): Promise<{ stageId: string; suspect: Deployment; target: string }> {
  const { body: board } = await app.get<Board>('/api/v1/board');
  const production = board.environments.find((environment) => environment.slug === 'production')!;
  for (const row of board.rows) {
    const cell = row.cells[production.id];
    if (!cell?.current || cell.lock || cell.hold) continue;
    const { body: options } = await app.get<RollbackOptions>(`/api/v1/stages/${cell.stageId}/rollback`);
    if (!options.current || !options.defaultTarget || options.active) continue;
    const { body: list } = await app.get<{ items: Deployment[] }>(
      `/api/v1/deployments?service=${row.service.slug}&environment=production&status=succeeded&limit=20`,
    );
    const suspect = list.items.find((deployment) => deployment.release.id === options.current!.id);
    if (suspect) return { stageId: cell.stageId, suspect, target: options.defaultTarget.version };
  }
  throw new Error('no demo production stage can be rolled back');
}

async function shot(page: Page, name: string, fullPage = false) {
  await page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage });
}

describe.runIf(browserAvailable)('browser journey: an incident from declaration to resolution', () => {
  const journey = useBrowserJourney();

  it('declares from a deployment, sees it as the suspect, rolls it back from the incident and resolves', async () => {
    const { app, chromium } = journey;
    const { stageId, suspect, target } = await findSuspect(app);
    await sql(
      app.db.url,
      `UPDATE stages SET driver_config = driver_config || '{"durationSeconds": 1, "failureRate": 0}' WHERE id = $1`,
      [stageId],
    );
    const where = `${suspect.serviceSlug}/production`;

    const page = await chromium.browser.newPage({ viewport: { width: 1440, height: 900 } });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await signInThroughUi(page, app.url);
    await page.getByRole('grid', { name: 'Promotion board' }).waitFor();

    // Declared from the deployment page: its stage is affected, the deployment a suspect.
    await page.goto(`${app.url}/deployments/${suspect.id}`);
    await page.getByRole('button', { name: 'Declare incident' }).click();
    const dialog = page.getByRole('dialog', { name: 'Declare an incident' });
    await dialog.getByLabel('What is wrong').fill('Checkout errors after the release');
    await dialog.getByLabel('Severity').selectOption('P1');
    expect(await dialog.getByRole('checkbox', { name: where }).isChecked()).toBe(true);
    await shot(page, 'incident-declare-dialog-light');
    await dialog.getByRole('button', { name: 'Declare incident' }).click();

    const heading = page.getByRole('heading', {
      level: 1,
      name: /^INC-\d+: Checkout errors after the release$/,
    });
    await heading.waitFor();
    await page.getByText(/Promotions to production of .* wait until this is resolved/).waitFor();

    // The suspect, first, with the reasons; one click rolls it back.
    const suspects = page.getByRole('region', { name: 'Suspect deployments' });
    const first = suspects.locator('.incident-suspect[data-rank="1"]');
    await first.getByText(`${suspect.release.version} → ${where}`).waitFor();
    await first.getByText(/Why: in production; .*suspected by a person\./).waitFor();
    await shot(page, 'incident-page-light', true);
    await first.getByRole('button', { name: `Roll back ${suspect.release.version} on ${where}` }).click();
    const confirm = page.getByRole('dialog', { name: 'Roll back this deployment?' });
    await confirm.getByText(`Roll ${where} back from ${suspect.release.version} to ${target}`).waitFor();
    await confirm.getByRole('button', { name: 'Roll back' }).click();
    await confirm.waitFor({ state: 'detached' });
    await first.getByText(`rollback to ${target}`).waitFor();

    // The rollback is in the timeline, linked as the remediation.
    const timeline = page.getByRole('region', { name: 'Timeline' });
    await timeline.getByText(`Remediation: rollback of ${target} to ${where}`).waitFor();
    await timeline.getByText(`Rollback to ${target} to ${where} succeeded`).waitFor({ timeout: 20_000 });

    await page.getByRole('button', { name: 'Resolve' }).click();
    await page.getByRole('group', { name: 'Incident status' }).waitFor({ state: 'detached' });
    await timeline.getByText('Status: resolved').waitFor();
    const incidentId = page.url().split('/').pop()!;
    const { body: incident } = await app.get<Incident>(`/api/v1/incidents/${incidentId}`);
    expect(incident).toMatchObject({ status: 'resolved', freezingProduction: false });
    expect(incident.deployments.map((link) => link.relation)).toEqual(['suspect', 'cause', 'remediation']);
    expect(problems).toEqual([]);
    await page.close();

    // The list and the page, dark and on a phone.
    const view = await chromium.browser.newPage({
      viewport: { width: 390, height: 844 },
      colorScheme: 'dark',
    });
    await signInThroughUi(view, app.url);
    await view.getByRole('grid', { name: 'Promotion board' }).waitFor();
    await view.goto(`${app.url}/incidents`);
    await view.getByRole('button', { name: 'All' }).click();
    await view.getByRole('link', { name: /Checkout errors after the release/ }).waitFor();
    await shot(view, 'incidents-list-dark-phone');
    await view.goto(`${app.url}/incidents/${incidentId}`);
    await view.getByRole('region', { name: 'Timeline' }).getByText('Status: resolved').waitFor();
    await shot(view, 'incident-page-dark-phone', true);
    await view.close();
  }, 60_000);
});
