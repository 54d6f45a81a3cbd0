import { stageDetailSchema, type ApprovalPolicy } from '@flightdeck/contracts';
import { fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { buildAuthState, buildMe, fixtureId } from '../../test/fixtures/identity';
import { instanceFixture, renderApp, stubApi, type RecordedRequest } from '../../test/render-app';
import { buildServiceFixtures } from '../service/service-fixtures';

// This machine's CI is two busy cores: the service page is a lazy chunk and the dialog nests another.
const SLOW = 20_000;

const inherited: ApprovalPolicy = {
  source: 'environment',
  environmentSlug: 'dev',
  stageId: null,
  requiredApprovals: 1,
  approvers: { roles: ['approver'], teams: [], users: [] },
  distinctTeams: false,
  selfApprovalBanned: true,
  reasonRequiredToApprove: false,
  expiryMinutes: null,
  waitMinutes: 0,
  approveRollbacks: false,
  windows: [],
  updatedBy: 'grace@example.com',
  updatedAt: new Date().toISOString(),
};

function setup(role: 'admin' | 'deployer', extra: Parameters<typeof stubApi>[0]) {
  const data = buildServiceFixtures();
  const dev = data.stages.find((stage) => stage.environmentSlug === 'dev')!;
  const stage = stageDetailSchema.parse({
    ...dev,
    driverConfig: { durationSeconds: 20, failureRate: 0, health: 'healthy' },
    // What other stage settings need, beside what these tests are about.
    requiredChecks: [],
  });
  const base = `/api/v1/stages/${dev.id}`;
  const stub = stubApi({
    '/api/v1/auth/session': {
      body: buildAuthState({
        user: buildMe(role, role === 'admin' ? {} : { permissions: ['catalog:read', 'catalog:write'] }),
      }),
    },
    '/api/v1/instance': { body: instanceFixture },
    '/api/v1/services/checkout-api': { body: data.service },
    '/api/v1/environments': { body: { items: data.environments } },
    '/api/v1/stages': { body: { items: data.stages } },
    '/api/v1/board': { body: data.board },
    '/api/v1/releases': { body: { items: data.releases, nextCursor: null } },
    '/api/v1/deployments': { body: { items: [], nextCursor: null } },
    '/api/v1/teams': { body: { items: [] } },
    [`GET ${base}`]: { body: stage },
    ...Object.fromEntries(Object.entries(extra).map(([key, reply]) => [key.replace('{stage}', base), reply])),
  });
  renderApp('/services/checkout-api');
  return { ...stub, base };
}

async function openDevSettings() {
  await userEvent.click(
    await screen.findByRole('button', { name: 'Settings of the Dev stage' }, { timeout: 15_000 }),
  );
  return screen.findByRole('dialog', { name: 'Dev settings' });
}

const byMethod = (requests: RecordedRequest[], method: string, path: string) =>
  requests.filter((entry) => entry.method === method && entry.path === path);

describe('stage settings: approval policy override and checklist', () => {
  it(
    'says the stage inherits its environment’s policy, overrides it, and removes the override',
    async () => {
      let own: ApprovalPolicy | null = null;
      const { requests, base } = setup('admin', {
        'GET {stage}/policy': () => ({ body: own ?? inherited }),
        'PUT {stage}/policy': (request) => {
          own = { ...inherited, ...(request.body as object), source: 'stage', stageId: fixtureId() };
          return { body: own };
        },
        'DELETE {stage}/policy': () => {
          own = null;
          return { body: inherited };
        },
        'GET {stage}/checklist': { body: { stageId: fixtureId(), items: [] } },
      });
      const settings = await openDevSettings();
      const section = await within(settings).findByRole('region', { name: 'Approval policy' });
      expect(await within(section).findByText('Inherits Dev policy')).toBeInTheDocument();
      expect(within(section).getByText('Needs 1 approval from approvers.')).toBeInTheDocument();

      await userEvent.click(within(section).getByRole('button', { name: 'Override for this stage' }));
      const dialog = await screen.findByRole('dialog', { name: 'Checkout API in Dev: approval policy' });
      fireEvent.change(within(dialog).getByLabelText('Required approvals'), { target: { value: '2' } });
      await userEvent.click(within(dialog).getByRole('button', { name: 'Save policy' }));
      expect(await within(section).findByText('Stage override')).toBeInTheDocument();
      expect(within(section).getByText('Needs 2 approvals from approvers.')).toBeInTheDocument();
      expect(byMethod(requests, 'PUT', `${base}/policy`)[0]?.body).toMatchObject({
        requiredApprovals: 2,
        approvers: { roles: ['approver'] },
      });

      await userEvent.click(within(section).getByRole('button', { name: 'Remove override' }));
      const confirm = await screen.findByRole('dialog', { name: 'Remove the stage override?' });
      await userEvent.click(within(confirm).getByRole('button', { name: 'Remove override' }));
      expect(await within(section).findByText('Inherits Dev policy')).toBeInTheDocument();
      expect(byMethod(requests, 'DELETE', `${base}/policy`)).toHaveLength(1);
    },
    SLOW,
  );

  it(
    'lets an admin edit the checklist, naming an empty item before sending',
    async () => {
      const itemId = fixtureId();
      const { requests, base } = setup('admin', {
        'GET {stage}/policy': { body: { ...inherited, source: 'none', requiredApprovals: 0 } },
        'GET {stage}/checklist': {
          body: { stageId: fixtureId(), items: [{ id: itemId, text: 'Tell support' }] },
        },
        'PUT {stage}/checklist': (request) => ({
          body: {
            stageId: fixtureId(),
            items: (request.body as { items: { text: string }[] }).items.map((item) => ({
              id: fixtureId(),
              text: item.text,
            })),
          },
        }),
      });
      const settings = await openDevSettings();
      const section = await within(settings).findByRole('region', { name: 'Deployment checklist' });
      expect(await within(section).findByLabelText('Item 1')).toHaveValue('Tell support');
      await userEvent.click(within(section).getByRole('button', { name: 'Add item' }));
      await userEvent.click(within(section).getByRole('button', { name: 'Save checklist' }));
      expect(await within(section).findByText('Is required.')).toBeInTheDocument();
      expect(byMethod(requests, 'PUT', `${base}/checklist`)).toHaveLength(0);

      fireEvent.change(within(section).getByLabelText('Item 2'), {
        target: { value: 'Check the dashboards' },
      });
      await userEvent.click(within(section).getByRole('button', { name: 'Save checklist' }));
      expect(await within(section).findByText('Checklist saved.')).toBeInTheDocument();
      expect(within(section).getByText('2 items')).toBeInTheDocument();
      expect(byMethod(requests, 'PUT', `${base}/checklist`)[0]?.body).toEqual({
        items: [{ text: 'Tell support' }, { text: 'Check the dashboards' }],
      });
    },
    SLOW,
  );

  it(
    'shows others the policy and the checklist without editing them',
    async () => {
      setup('deployer', {
        'GET {stage}/policy': { body: inherited },
        'GET {stage}/checklist': {
          body: { stageId: fixtureId(), items: [{ id: fixtureId(), text: 'Tell support' }] },
        },
      });
      const settings = await openDevSettings();
      const policy = await within(settings).findByRole('region', { name: 'Approval policy' });
      expect(await within(policy).findByText('Inherits Dev policy')).toBeInTheDocument();
      expect(within(policy).queryByRole('button')).not.toBeInTheDocument();
      const checklist = within(settings).getByRole('region', { name: 'Deployment checklist' });
      expect(await within(checklist).findByText('Tell support')).toBeInTheDocument();
      expect(within(checklist).queryByRole('button', { name: 'Save checklist' })).not.toBeInTheDocument();
    },
    SLOW,
  );
});
