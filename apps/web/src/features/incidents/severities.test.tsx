import type { IncidentSeverity } from '@flightdeck/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { buildAuthState, buildMe } from '../../test/fixtures/identity';
import { instanceFixture, renderApp, stubApi } from '../../test/render-app';

const p1: IncidentSeverity = {
  key: 'P1',
  rank: 0,
  name: 'Critical',
  description: 'Customers cannot pay',
  expectedResponseMinutes: 15,
  freezesProduction: true,
};
const p3: IncidentSeverity = {
  key: 'P3',
  rank: 2,
  name: 'Minor',
  description: '',
  expectedResponseMinutes: 240,
  freezesProduction: false,
};

function stub(severities: IncidentSeverity[], extra: Parameters<typeof stubApi>[0] = {}) {
  return stubApi({
    '/api/v1/instance': { body: instanceFixture },
    '/api/v1/auth/session': { body: buildAuthState({ user: buildMe('admin'), csrfToken: 'csrf-admin' }) },
    'GET /api/v1/incident-severities': { body: { items: severities } },
    ...extra,
  });
}

describe('admin: incident severities', () => {
  it('lists the scheme with whether each freezes production in words, not colour alone', async () => {
    stub([p1, p3]);
    renderApp('/admin/incident-severities');
    const table = await screen.findByRole('table', { name: 'Incident severities' });
    const [, first, second] = within(table).getAllByRole('row');
    expect(first).toHaveTextContent('P1 Critical');
    expect(within(first!).getByText('Freezes production').closest('.status-pill')).toHaveAttribute(
      'data-tone',
      'danger',
    );
    expect(
      within(first!).getByText('Freezes production').closest('.status-pill')?.querySelector('svg'),
    ).not.toBeNull();
    expect(second).toHaveTextContent('Production stays open');
    expect(second).toHaveTextContent('240 min');
    expect(screen.getByRole('link', { name: 'Incident severities' })).toHaveAttribute('aria-current', 'page');
  });

  it('adds a severity and shows the API’s field errors by their fields', async () => {
    let severities = [p1];
    const { requests } = stub(severities, {
      'GET /api/v1/incident-severities': () => ({ body: { items: severities } }),
      'POST /api/v1/incident-severities': (request) => {
        const body = request.body as IncidentSeverity;
        if (body.rank === 0) {
          return {
            status: 400,
            body: {
              code: 'INVALID_BODY',
              message: 'Invalid body parameter — rank: taken',
              details: { issues: [{ field: 'rank', message: 'rank 0 is taken by P1' }] },
            },
          };
        }
        severities = [...severities, body];
        return { status: 201, body };
      },
    });
    renderApp('/admin/incident-severities');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Add severity' }));
    const dialog = screen.getByRole('dialog', { name: 'Add a severity' });

    // The contract's schema speaks before the API is asked.
    await user.click(within(dialog).getByRole('button', { name: 'Add severity' }));
    expect(within(dialog).getByLabelText('Key')).toHaveAttribute('aria-invalid', 'true');
    expect(requests.filter((request) => request.method === 'POST')).toHaveLength(0);

    await user.type(within(dialog).getByLabelText('Key'), 'P2');
    await user.type(within(dialog).getByLabelText('Rank'), '0');
    await user.type(within(dialog).getByLabelText('Name'), 'Major');
    await user.type(within(dialog).getByLabelText('Expected response (minutes)'), '30');
    await user.click(within(dialog).getByRole('checkbox', { name: /Freezes production/ }));
    await user.click(within(dialog).getByRole('button', { name: 'Add severity' }));
    const rank = within(dialog).getByLabelText('Rank');
    expect(await within(dialog).findByText('Rank 0 is taken by P1.')).toBeInTheDocument();
    expect(rank).toHaveAttribute('aria-invalid', 'true');
    expect(rank).toHaveAccessibleDescription(/Rank 0 is taken by P1\./);
    expect(within(dialog).getByLabelText('Name')).not.toHaveAttribute('aria-invalid');

    await user.clear(rank);
    await user.type(rank, '1');
    await user.click(within(dialog).getByRole('button', { name: 'Add severity' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(requests.filter((request) => request.method === 'POST').at(-1)?.body).toEqual({
      key: 'P2',
      rank: 1,
      name: 'Major',
      description: '',
      expectedResponseMinutes: 30,
      freezesProduction: true,
    });
    expect(await screen.findByText('P2 Major')).toBeInTheDocument();
  });

  it('edits a severity: key and rank stay, the rest is sent with the CSRF token', async () => {
    const { requests } = stub([p1, p3], {
      'PATCH /api/v1/incident-severities/P3': (request) => ({
        body: { ...p3, ...(request.body as object) },
      }),
    });
    renderApp('/admin/incident-severities');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Edit P3 Minor' }));
    const dialog = screen.getByRole('dialog', { name: 'Edit severity P3' });
    expect(within(dialog).queryByLabelText('Key')).not.toBeInTheDocument();
    const minutes = within(dialog).getByLabelText('Expected response (minutes)');
    await user.clear(minutes);
    await user.type(minutes, '60');
    await user.click(within(dialog).getByRole('checkbox', { name: /Freezes production/ }));
    await user.click(within(dialog).getByRole('button', { name: 'Save severity' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const patch = requests.find((request) => request.method === 'PATCH')!;
    expect(patch.body).toEqual({
      name: 'Minor',
      description: '',
      expectedResponseMinutes: 60,
      freezesProduction: true,
    });
    expect(patch.headers['x-csrf-token']).toBe('csrf-admin');
  });

  it('asks for a number in plain words when a number box is empty, and sends nothing', async () => {
    const { requests } = stub([p1, p3]);
    renderApp('/admin/incident-severities');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Add severity' }));
    const dialog = screen.getByRole('dialog', { name: 'Add a severity' });
    await user.type(within(dialog).getByLabelText('Key'), 'P2');
    await user.type(within(dialog).getByLabelText('Name'), 'Major');
    await user.click(within(dialog).getByRole('button', { name: 'Add severity' }));

    const minutes = within(dialog).getByLabelText('Expected response (minutes)');
    expect(minutes).toHaveAttribute('aria-invalid', 'true');
    expect(minutes).toHaveAccessibleDescription(/Enter a number of minutes, from 1 to 10080 \(a week\)\./);
    expect(within(dialog).getByLabelText('Rank')).toHaveAccessibleDescription(
      /Enter a whole number from 0 to 100 \(0 is the most severe\)\./,
    );
    expect(within(dialog).queryByText(/expected number/i)).not.toBeInTheDocument();
    expect(requests.filter((request) => request.method === 'POST')).toHaveLength(0);

    // Editing: clearing the box is not "leave it as it was".
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await user.click(await screen.findByRole('button', { name: 'Edit P3 Minor' }));
    const edit = screen.getByRole('dialog', { name: 'Edit severity P3' });
    await user.clear(within(edit).getByLabelText('Expected response (minutes)'));
    await user.click(within(edit).getByRole('button', { name: 'Save severity' }));
    expect(within(edit).getByLabelText('Expected response (minutes)')).toHaveAccessibleDescription(
      /Enter a number of minutes/,
    );
    expect(requests.filter((request) => request.method === 'PATCH')).toHaveLength(0);
  });

  it('shows a taken key or rank (409) by its field, not above the form', async () => {
    const { requests } = stub([p1], {
      'POST /api/v1/incident-severities': (request) => {
        const body = request.body as IncidentSeverity;
        const issue =
          body.key === 'P1'
            ? { field: 'key', message: 'P1 is already a severity' }
            : { field: 'rank', message: 'rank 0 is already taken by P1' };
        return {
          status: 409,
          body: {
            code: 'SEVERITY_EXISTS',
            message: `A severity already exists — ${issue.field}: ${issue.message}`,
            details: { field: issue.field, issues: [issue] },
          },
        };
      },
    });
    renderApp('/admin/incident-severities');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Add severity' }));
    const dialog = screen.getByRole('dialog', { name: 'Add a severity' });
    const key = within(dialog).getByLabelText('Key');
    const rank = within(dialog).getByLabelText('Rank');
    await user.type(key, 'P1');
    await user.type(rank, '5');
    await user.type(within(dialog).getByLabelText('Name'), 'Again');
    await user.type(within(dialog).getByLabelText('Expected response (minutes)'), '30');
    await user.click(within(dialog).getByRole('button', { name: 'Add severity' }));

    expect(await within(dialog).findByText('P1 is already a severity.')).toBeInTheDocument();
    expect(key).toHaveAttribute('aria-invalid', 'true');
    expect(key).toHaveAccessibleDescription(/P1 is already a severity\./);
    expect(rank).not.toHaveAttribute('aria-invalid');
    expect(within(dialog).queryByText('Severity not saved')).not.toBeInTheDocument();

    await user.clear(key);
    await user.type(key, 'P2');
    await user.clear(rank);
    await user.type(rank, '0');
    await user.click(within(dialog).getByRole('button', { name: 'Add severity' }));
    expect(await within(dialog).findByText('Rank 0 is already taken by P1.')).toBeInTheDocument();
    expect(rank).toHaveAttribute('aria-invalid', 'true');
    expect(key).not.toHaveAttribute('aria-invalid');
    expect(within(dialog).queryByText('Severity not saved')).not.toBeInTheDocument();
    expect(requests.filter((request) => request.method === 'POST')).toHaveLength(2);
  });
});
