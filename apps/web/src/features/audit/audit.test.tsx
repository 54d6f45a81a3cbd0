import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { buildAuditEvent, buildVerification } from '../../test/fixtures/identity';
import { instanceFixture, renderApp, stubApi, type RecordedRequest } from '../../test/render-app';
import { diffStates } from './audit-diff';
import { isoToLocalInput, localInputToIso } from './audit-filter-form';

const first = buildAuditEvent({
  id: '41',
  action: 'user.update',
  actor: { type: 'user', id: null, name: 'Grace Hopper' },
  reason: 'Promoted to release manager',
});
const denied = buildAuditEvent({
  id: '40',
  action: 'deployment.create',
  outcome: 'denied',
  actor: { type: 'token', id: null, name: 'ci-bot' },
  target: { type: 'stage', id: 'checkout-api/production' },
  before: null,
  after: null,
});

function setup(url: string, options: { verification?: ReturnType<typeof buildVerification> } = {}) {
  const stub = stubApi({
    '/api/v1/instance': { body: instanceFixture },
    '/api/v1/audit/verify': { body: options.verification ?? buildVerification() },
    '/api/v1/audit/events': (request: RecordedRequest) => {
      const cursor = new URLSearchParams(request.search).get('cursor');
      return cursor === 'page-2'
        ? { body: { items: [buildAuditEvent({ id: '12', action: 'token.create' })], nextCursor: null } }
        : { body: { items: [first, denied], nextCursor: 'page-2' } };
    },
  });
  return { ...stub, ...renderApp(url) };
}

function eventRequests(requests: RecordedRequest[]) {
  return requests.filter((request) => request.path === '/api/v1/audit/events');
}

describe('audit log', () => {
  it('shows time, actor with its type, action, outcome in words, target, reason and ip', async () => {
    setup('/audit');
    const table = await screen.findByRole('table', { name: 'Audit events' });
    const [, row1, row2] = within(table).getAllByRole('row');
    expect(row1).toHaveTextContent('User: Grace Hopper');
    expect(row1).toHaveTextContent('user.update');
    expect(within(row1!).getByText('Success')).toBeInTheDocument();
    expect(row1).toHaveTextContent('Promoted to release manager');
    expect(row1).toHaveTextContent('10.0.0.7');
    expect(row2).toHaveTextContent('API token: ci-bot');
    expect(within(row2!).getByText('Denied').closest('.status-pill')).toHaveAttribute('data-tone', 'warning');
    expect(row2).toHaveTextContent('checkout-api/production');
  });

  it('reads filters from the URL, sends them and prefills the form', async () => {
    const { requests } = setup('/audit?outcome=denied&actor=ci-bot&targetType=stage');
    await screen.findByRole('table', { name: 'Audit events' });
    const sent = new URLSearchParams(eventRequests(requests)[0]!.search);
    expect(Object.fromEntries(sent)).toMatchObject({
      outcome: 'denied',
      actor: 'ci-bot',
      targetType: 'stage',
    });
    expect(screen.getByLabelText('Outcome')).toHaveValue('denied');
    expect(screen.getByLabelText('Actor')).toHaveValue('ci-bot');
    expect(screen.getByRole('link', { name: 'Export JSON Lines' })).toHaveAttribute(
      'href',
      '/api/v1/audit/export?actor=ci-bot&outcome=denied&targetType=stage',
    );
  });

  it('writes applied filters to the URL, refetches and updates the export link', async () => {
    const { requests, router } = setup('/audit');
    await screen.findByRole('table', { name: 'Audit events' });
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Action'), 'user.update');
    await user.selectOptions(screen.getByLabelText('Outcome'), 'success');
    await user.type(screen.getByLabelText('From'), '2026-11-20T08:30');
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));

    const from = localInputToIso('2026-11-20T08:30');
    await waitFor(() =>
      expect(Object.fromEntries(new URLSearchParams(router.state.location.search))).toEqual({
        action: 'user.update',
        outcome: 'success',
        from,
      }),
    );
    await waitFor(() => expect(eventRequests(requests).length).toBeGreaterThan(1));
    const sent = new URLSearchParams(eventRequests(requests).at(-1)!.search);
    expect(sent.get('action')).toBe('user.update');
    expect(sent.get('from')).toBe(from);
    expect(screen.getByRole('link', { name: 'Export JSON Lines' }).getAttribute('href')).toContain(
      'action=user.update',
    );

    await user.click(screen.getByRole('button', { name: 'Clear' }));
    await waitFor(() => expect(router.state.location.search).toBe(''));
    expect(screen.getByLabelText('Action')).toHaveValue('');
  });

  it('loads older events with the cursor', async () => {
    const { requests } = setup('/audit?outcome=success');
    await screen.findByRole('table', { name: 'Audit events' });
    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    expect(await screen.findByText('token.create')).toBeInTheDocument();
    const second = new URLSearchParams(eventRequests(requests).at(-1)!.search);
    expect(second.get('cursor')).toBe('page-2');
    expect(second.get('outcome')).toBe('success');
    expect(screen.getByText(/3 events · end of the log for these filters/)).toBeInTheDocument();
  });

  it('expands a row into the before/after changes and the hashes', async () => {
    setup('/audit');
    await screen.findByRole('table', { name: 'Audit events' });
    await userEvent.click(screen.getByRole('button', { name: 'Details of event #41' }));
    expect(screen.getByRole('button', { name: 'Details of event #41' })).toHaveAttribute(
      'aria-expanded',
      'true',
    );
    const changes = screen.getByRole('heading', { name: 'Changes (1)' }).closest('.diff') as HTMLElement;
    const rows = within(changes).getAllByRole('row');
    expect(rows).toHaveLength(2);
    expect(rows[1]).toHaveTextContent('role"viewer""deployer"');
    expect(screen.getByText('b'.repeat(64))).toBeInTheDocument();
    expect(screen.getByText('a'.repeat(64))).toBeInTheDocument();
  });

  it('shows a verified chain in green words', async () => {
    setup('/audit');
    const badge = await screen.findByText(/Chain verified/);
    expect(badge).toHaveTextContent('Chain verified · 1,284 events');
    expect(badge).toHaveAttribute('data-tone', 'success');
  });

  it('names the first broken event and why', async () => {
    setup('/audit', {
      verification: buildVerification({
        ok: false,
        checked: 87,
        firstBroken: { id: '40', reason: 'hash mismatch' },
      }),
    });
    const badge = await screen.findByText(/Chain broken/);
    expect(badge).toHaveTextContent('Chain broken at event #40: hash mismatch');
    expect(badge).toHaveAttribute('data-tone', 'danger');
    expect(badge).toHaveAttribute('role', 'alert');
  });
});

describe('audit helpers', () => {
  it('diffs nested states field by field', () => {
    expect(
      diffStates(
        { policy: { approvals: 1, window: 'any' }, tags: ['a'] },
        { policy: { approvals: 2, window: 'any' }, owner: 'x' },
      ),
    ).toEqual([
      { path: 'owner', kind: 'added', after: '"x"' },
      { path: 'policy.approvals', kind: 'changed', before: '1', after: '2' },
      { path: 'policy.window', kind: 'same', before: '"any"', after: '"any"' },
      { path: 'tags', kind: 'removed', before: '["a"]' },
    ]);
  });

  it('round-trips datetime-local values through ISO', () => {
    const iso = localInputToIso('2026-11-20T08:30');
    expect(iso).toMatch(/^2026-11-2\dT\d\d:30:00\.000Z$/);
    expect(isoToLocalInput(iso)).toBe('2026-11-20T08:30');
    expect(localInputToIso('')).toBe('');
  });
});

describe('audit filter form', () => {
  it('refuses a range that ends before it starts', async () => {
    const { router } = setup('/audit');
    await screen.findByRole('table', { name: 'Audit events' });
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('From'), '2026-11-20T08:30');
    await user.type(screen.getByLabelText('To'), '2026-11-19T08:30');
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));
    expect(screen.getByRole('alert')).toHaveTextContent('“To” must not be before “From”.');
    expect(router.state.location.search).toBe('');
  });
});
