import path from 'node:path';
import type { Page } from '@flightdeck/test-kit';
import { describe, expect, it } from 'vitest';
import { waitForDeployment } from '../support/deployments.js';
import { sql } from '../support/sql.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, USER_PASSWORD } from '../support/test-app.js';
import { browserAvailable, screenshots, useBrowserJourney } from './journey.js';
import { signInThroughUi } from './sign-in.js';
import { findReadyProductionStage } from './targets.js';

async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });
}

describe.runIf(browserAvailable)('browser journey: approving production', () => {
  const journey = useBrowserJourney();

  it('one person requests production, cannot approve it, a second approves in the inbox, it runs, the audit shows both', async () => {
    const { app, chromium } = journey;
    const target = await findReadyProductionStage(app);
    await sql(
      app.db.url,
      `UPDATE stages SET driver_config = driver_config || '{"durationSeconds": 2, "failureRate": 0}' WHERE id = $1`,
      [target.stageId],
    );
    const policy = await app.admin.put('/api/v1/environments/production/policy', { requiredApprovals: 1 });
    expect(policy.status, JSON.stringify(policy.body)).toBe(200);
    const stamp = Date.now();
    const requesterEmail = `requester-${stamp}@flightdeck.test`;
    const approverEmail = `approver-${stamp}@flightdeck.test`;
    await app.userWith('approver', { email: requesterEmail });
    await app.userWith('approver', { email: approverEmail });

    // The requester asks for production through the promotion dialog.
    const requester = await chromium.browser.newPage({ viewport: { width: 1440, height: 900 } });
    const problems: string[] = [];
    requester.on('pageerror', (error) => problems.push(error.message));
    await signInThroughUi(requester, app.url, requesterEmail, USER_PASSWORD);
    const grid = requester.getByRole('grid', { name: 'Promotion board' });
    await grid.waitFor();
    const cell = grid.getByRole('gridcell', { name: new RegExp(`^${target.serviceName} in Production:`) });
    await cell
      .getByRole('button', { name: `Preview promotion of ${target.serviceName} to Production…` })
      .click();
    const dialog = requester.getByRole('dialog', { name: `Promote ${target.serviceName} to Production` });
    await dialog.getByRole('button', { name: `Deploy ${target.version} to Production` }).click();
    await dialog.waitFor({ state: 'detached' });
    await requester
      .getByRole('region', { name: 'Notifications' })
      .getByRole('link', { name: 'View deployment' })
      .click();
    await requester.getByText(/you cannot approve or reject it/).waitFor();
    await shot(requester, 'approval-requester-light');
    const deploymentId = requester.url().split('/').pop()!;

    // A second approver decides in the inbox, with a comment.
    const approver = await chromium.browser.newPage({ viewport: { width: 1440, height: 900 } });
    approver.on('pageerror', (error) => problems.push(error.message));
    await signInThroughUi(approver, app.url, approverEmail, USER_PASSWORD);
    await approver.getByRole('grid', { name: 'Promotion board' }).waitFor();
    await approver.getByRole('link', { name: /^Approvals/ }).click();
    const mine = approver.getByRole('table', { name: 'Mine approvals' });
    await mine.waitFor();
    await shot(approver, 'approvals-inbox-light');
    await mine
      .getByRole('button', {
        name: new RegExp(`^Approve .+ ${target.version.replace(/\./g, '\\.')} to production$`),
      })
      .click();
    const decide = approver.getByRole('dialog', { name: /^Approve .+\?$/ });
    await decide.getByLabel('Comment (optional)').fill('Checked the changes and the staging soak');
    await decide.getByRole('button', { name: 'Approve', exact: true }).click();
    await decide.waitFor({ state: 'detached' });

    // It runs; the requester's page follows it live.
    expect((await waitForDeployment(app, deploymentId, undefined, 30_000)).status).toBe('succeeded');
    await requester.getByRole('list', { name: 'Deployment events' }).getByText('Succeeded').first().waitFor();

    // The audit page shows the request and the approval.
    await approver.goto(`${app.url}/audit`);
    await approver.getByText('approval.approve').first().waitFor();
    await approver.getByText('deployment.create').first().waitFor();
    await shot(approver, 'approval-audit-light');

    // The finished deployment keeps its approval history.
    await requester.getByRole('region', { name: 'Approval history' }).getByText('Counted').waitFor();
    await shot(requester, 'approval-history-light');

    // An admin sees the stage's own policy (with a deny window) and its checklist in stage settings,
    // light and dark.
    const override = await app.admin.put(`/api/v1/stages/${target.stageId}/policy`, {
      requiredApprovals: 2,
      windows: [
        {
          kind: 'deny',
          cron: '0 18 * * 5',
          durationMinutes: 600,
          timeZone: 'Europe/Berlin',
          label: 'Friday evening',
        },
      ],
    });
    expect(override.status, JSON.stringify(override.body)).toBe(200);
    await app.admin.put(`/api/v1/stages/${target.stageId}/checklist`, {
      items: [{ text: 'Tell support' }, { text: 'Check the dashboards' }],
    });
    const admin = await chromium.browser.newPage({ viewport: { width: 1280, height: 900 } });
    admin.on('pageerror', (error) => problems.push(error.message));
    await signInThroughUi(admin, app.url, ADMIN_EMAIL, ADMIN_PASSWORD);
    const board = admin.getByRole('grid', { name: 'Promotion board' });
    await board.getByRole('link', { name: target.serviceName, exact: true }).click();
    const node = admin.getByRole('article', { name: 'Production stage' });
    await node.getByRole('button', { name: 'Settings of the Production stage' }).click();
    const settings = admin.getByRole('dialog', { name: 'Production settings' });
    await settings.getByText('Stage override').waitFor();
    await settings.getByLabel('Item 2', { exact: true }).waitFor();
    await settings.getByRole('region', { name: 'Approval policy' }).scrollIntoViewIfNeeded();
    await shot(admin, 'stage-policy-checklist-light');
    await settings.getByRole('button', { name: 'Edit override' }).click();
    const editor = admin.getByRole('dialog', { name: /: approval policy$/ });
    await editor.getByRole('group', { name: 'Window 1' }).scrollIntoViewIfNeeded();
    await shot(admin, 'stage-policy-windows-light');
    await admin.emulateMedia({ colorScheme: 'dark' });
    await shot(admin, 'stage-policy-windows-dark');
    await admin.close();
    expect(problems).toEqual([]);
    await requester.close();
    await approver.close();
  }, 120_000);
});
