import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { buildMe } from '../../test/fixtures/identity';
import { detail, openDevSettings, setup } from './stage-settings-fixtures';

const ACTIONS_CONFIG = {
  owner: 'acme',
  repo: 'checkout-api',
  workflow: 'deploy.yml',
  ref: 'main',
  inputs: { region: 'eu-west-1' },
  pollIntervalSeconds: 10,
};

const onActions = (checks: string[] = []) => ({
  stage: (stage: Parameters<typeof detail>[0]) =>
    detail(stage, { driverKind: 'github_actions', driverConfig: ACTIONS_CONFIG, requiredChecks: checks }),
});

// Many keystrokes on a machine shared with the API's tests.
const SLOW = 40_000;

const save = (dialog: HTMLElement) =>
  userEvent.click(within(dialog).getByRole('button', { name: 'Save settings' }));

describe('stage settings: GitHub Actions driver', () => {
  it(
    'switches to GitHub Actions: names each missing field, explains the inputs, then sends the config',
    async () => {
      const { patches } = setup();
      const dialog = await openDevSettings();
      await userEvent.click(within(dialog).getByRole('radio', { name: /GitHub Actions/ }));
      const sent = within(dialog).getByLabelText('Inputs Flightdeck sends');
      for (const name of ['environment', 'version', 'sha', 'flightdeck_deployment_id']) {
        expect(within(sent).getByText(name)).toBeInTheDocument();
      }
      expect(within(dialog).getByText('${{ inputs.flightdeck_deployment_id }}')).toBeInTheDocument();

      await save(dialog);
      const owner = within(dialog).getByLabelText('Owner');
      expect(owner).toHaveAttribute('aria-invalid', 'true');
      expect(owner).toHaveAccessibleDescription(/Enter the owner: a GitHub user or organisation/);
      expect(within(dialog).getByLabelText('Repository')).toHaveAccessibleDescription(
        /Enter the repository’s name/,
      );
      expect(within(dialog).getByLabelText('Workflow')).toHaveAccessibleDescription(
        /Enter the workflow’s file name, such as deploy.yml, or its numeric id/,
      );
      // The form's words, never the schema's.
      expect(within(dialog).queryByText(/Too small|expected string/)).not.toBeInTheDocument();
      expect(patches()).toHaveLength(0);
      expect(
        within(dialog).queryByRole('link', { name: /View the workflow on GitHub/ }),
      ).not.toBeInTheDocument();

      await userEvent.type(owner, 'acme');
      await userEvent.type(within(dialog).getByLabelText('Repository'), 'checkout-api');
      await userEvent.type(within(dialog).getByLabelText('Workflow'), 'deploy.yml');
      expect(within(dialog).getByLabelText('Ref')).toHaveValue('main');
      expect(within(dialog).getByRole('link', { name: /View the workflow on GitHub/ })).toHaveAttribute(
        'href',
        'https://github.com/acme/checkout-api/actions/workflows/deploy.yml',
      );
      await userEvent.click(within(dialog).getByRole('button', { name: 'Add input' }));
      await userEvent.type(within(dialog).getByLabelText('Name of input 1'), 'region');
      await userEvent.type(within(dialog).getByLabelText('Value of input 1'), 'eu-west-1');
      await save(dialog);

      await waitFor(() => expect(patches()).toHaveLength(1));
      expect(patches()[0]!.body).toEqual({
        driver: {
          kind: 'github_actions',
          config: { ...ACTIONS_CONFIG, ref: 'main' },
        },
      });
      await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    },
    SLOW,
  );

  it(
    'refuses an input Flightdeck sends itself, a repeated one and a bad name, by the row',
    async () => {
      const { patches } = setup(onActions());
      const dialog = await openDevSettings();
      expect(within(dialog).getByRole('radio', { name: /GitHub Actions/ })).toBeChecked();
      expect(within(dialog).getByLabelText('Owner')).toHaveValue('acme');
      expect(within(dialog).getByLabelText('Name of input 1')).toHaveValue('region');
      expect(within(dialog).getByLabelText('Value of input 1')).toHaveValue('eu-west-1');

      for (const name of ['version', 'region', '9lives']) {
        await userEvent.click(within(dialog).getByRole('button', { name: 'Add input' }));
        const inputs = within(dialog).getAllByLabelText(/^Name of input \d$/);
        await userEvent.type(inputs.at(-1)!, name);
      }
      await save(dialog);
      expect(within(dialog).getByLabelText('Name of input 1')).not.toHaveAttribute('aria-invalid');
      expect(within(dialog).getByLabelText('Name of input 2')).toHaveAccessibleDescription(
        'Flightdeck sends this input itself: pick another name.',
      );
      expect(within(dialog).getByLabelText('Name of input 3')).toHaveAccessibleDescription(
        'This input is already listed above.',
      );
      expect(within(dialog).getByLabelText('Name of input 4')).toHaveAccessibleDescription(
        /Start with a letter or _/,
      );
      expect(patches()).toHaveLength(0);

      for (const index of [4, 3, 2]) {
        await userEvent.click(
          within(dialog).getByRole('button', { name: new RegExp(`^Remove input ${index}`) }),
        );
      }
      await userEvent.click(within(dialog).getByRole('button', { name: 'Remove input 1 (region)' }));
      await save(dialog);
      await waitFor(() => expect(patches()).toHaveLength(1));
      expect(patches()[0]!.body).toEqual({
        driver: { kind: 'github_actions', config: { ...ACTIONS_CONFIG, inputs: {} } },
      });
    },
    SLOW,
  );

  it(
    'shows the API’s 400 on the fields and rows it names, in the form’s words',
    async () => {
      setup({
        ...onActions(),
        patch: () => ({
          status: 400,
          body: {
            code: 'INVALID_BODY',
            message: 'Invalid body parameter',
            details: {
              issues: [
                {
                  field: 'driver.config.workflow',
                  message: 'must be a workflow file name (deploy.yml) or id',
                },
                {
                  field: 'driver.config.inputs.region',
                  message: 'Too big: expected string to have <=1000 characters',
                },
                { field: 'requiredChecks', message: 'must not repeat a check' },
              ],
            },
          },
        }),
      });
      const dialog = await openDevSettings();
      await userEvent.type(within(dialog).getByLabelText('Ref'), '-next');
      await userEvent.click(within(dialog).getByRole('button', { name: 'Add check' }));
      await userEvent.type(within(dialog).getByLabelText('Required check 1'), 'build');
      await save(dialog);

      const workflow = within(dialog).getByLabelText('Workflow');
      await waitFor(() => expect(workflow).toHaveAttribute('aria-invalid', 'true'));
      expect(workflow).toHaveAccessibleDescription(/Enter the workflow’s file name/);
      expect(within(dialog).getByLabelText('Value of input 1')).toHaveAccessibleDescription(
        'Keep the value to 1000 characters or fewer.',
      );
      expect(within(dialog).getByText('Each check may be listed once.')).toBeInTheDocument();
      expect(within(dialog).queryByText(/Too big|must be a workflow file name/)).not.toBeInTheDocument();
      // Every issue is shown by its field, so there is no banner as well.
      expect(within(dialog).queryByText('Not saved')).not.toBeInTheDocument();
    },
    SLOW,
  );
});

describe('stage settings: required CI checks', () => {
  it(
    'rejects blanks and repeats by the row, then sends only the checks',
    async () => {
      const { patches } = setup();
      const dialog = await openDevSettings();
      const checks = within(dialog).getByRole('group', { name: 'Required CI checks' });
      expect(within(checks).getByText(/No checks required/)).toBeInTheDocument();
      for (const name of ['build', '', ' build ', 'ci/e2e']) {
        await userEvent.click(within(checks).getByRole('button', { name: 'Add check' }));
        const rows = within(checks).getAllByRole('textbox');
        // The new row has the focus, so the keyboard carries on there.
        expect(rows.at(-1)).toHaveFocus();
        if (name) await userEvent.keyboard(name);
      }
      await save(dialog);
      expect(within(checks).getByLabelText('Required check 1')).not.toHaveAttribute('aria-invalid');
      expect(within(checks).getByLabelText('Required check 2')).toHaveAccessibleDescription(
        'Enter the check’s name, or remove the row.',
      );
      expect(within(checks).getByLabelText('Required check 3')).toHaveAccessibleDescription(
        'This check is already listed above.',
      );
      expect(patches()).toHaveLength(0);

      await userEvent.click(within(checks).getByRole('button', { name: 'Remove required check 3 (build)' }));
      await userEvent.click(within(checks).getByRole('button', { name: 'Remove required check 2' }));
      await save(dialog);
      await waitFor(() => expect(patches()).toHaveLength(1));
      expect(patches()[0]!.body).toEqual({ requiredChecks: ['build', 'ci/e2e'] });
    },
    SLOW,
  );

  it(
    'removes the last check, which sends an empty list',
    async () => {
      const { patches } = setup(onActions(['build']));
      const dialog = await openDevSettings();
      expect(within(dialog).getByLabelText('Required check 1')).toHaveValue('build');
      await userEvent.click(within(dialog).getByRole('button', { name: 'Remove required check 1 (build)' }));
      await save(dialog);
      await waitFor(() => expect(patches()).toHaveLength(1));
      expect(patches()[0]!.body).toEqual({ requiredChecks: [] });
    },
    SLOW,
  );

  it(
    'shows viewers the workflow, its inputs and the checks as text with a link to GitHub',
    async () => {
      setup({
        ...onActions(['build', 'ci/e2e']),
        me: buildMe('viewer'),
        preview: (data, stage) => ({
          stage: { id: stage.id, serviceSlug: 'checkout-api', environmentSlug: 'dev' },
          candidate: data.releases[0],
          current: data.releases[1] ?? null,
          gates: [
            { kind: 'checks', state: 'fail', message: 'CI failed: build (checked 5 s ago)', until: null },
          ],
          ready: false,
          summary: 'Blocked: CI failed: build (checked 5 s ago)',
          changes: { direction: 'forward', releases: [] },
        }),
      });
      await userEvent.click(
        await screen.findByRole('button', { name: 'Settings of the Dev stage' }, { timeout: 30_000 }),
      );
      const dialog = await screen.findByRole('dialog', { name: 'Dev settings' });
      await within(dialog).findByText('GitHub Actions');
      expect(within(dialog).getByText('acme/checkout-api')).toBeInTheDocument();
      expect(within(dialog).getByText('deploy.yml')).toBeInTheDocument();
      expect(within(dialog).getByText('Input region')).toBeInTheDocument();
      const checks = within(dialog).getByRole('list', { name: 'Required CI checks' });
      expect(
        within(checks)
          .getAllByRole('listitem')
          .map((item) => item.textContent),
      ).toEqual(['build', 'ci/e2e']);
      expect(within(dialog).getByRole('link', { name: /View the workflow on GitHub/ })).toHaveAttribute(
        'href',
        'https://github.com/acme/checkout-api/actions/workflows/deploy.yml',
      );
      // How the saved checks stand on the next candidate, by icon, colour and word.
      const status = await within(dialog).findByRole('list', { name: 'CI checks of the next candidate' });
      expect(within(status).getByText('Blocked')).toBeInTheDocument();
      expect(within(status).getByText('CI failed: build (checked 5 s ago)')).toBeInTheDocument();
      expect(within(dialog).queryAllByRole('textbox')).toHaveLength(0);
      expect(within(dialog).queryByRole('button', { name: /Add|Remove|Save/ })).not.toBeInTheDocument();
    },
    SLOW,
  );
});
