import type { Release } from '@flightdeck/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { buildAuthState, buildMe } from '../../test/fixtures/identity';
import { instanceFixture, renderApp, stubApi, type RecordedRequest } from '../../test/render-app';
import { buildServiceFixtures } from '../service/service-fixtures';

const QUARANTINED_AT = '2026-11-20T09:00:00.000Z';

function setup(role: 'admin' | 'viewer' = 'admin') {
  const data = buildServiceFixtures();
  const releases: Release[] = data.releases.map((release) => ({ ...release }));
  // v1.4.1 is already quarantined.
  releases[2] = {
    ...releases[2]!,
    quarantine: { by: 'Grace Hopper', reason: 'Leaks memory under load', at: QUARANTINED_AT },
  };
  const find = (request: RecordedRequest) => releases.find((release) => request.path.includes(release.id))!;
  const stub = stubApi({
    '/api/v1/instance': { body: instanceFixture },
    '/api/v1/auth/session': { body: buildAuthState({ user: buildMe(role) }) },
    '/api/v1/services/checkout-api': { body: data.service },
    '/api/v1/environments': { body: { items: data.environments } },
    '/api/v1/stages': { body: { items: data.stages } },
    '/api/v1/board': { body: data.board },
    '/api/v1/releases': () => ({ body: { items: releases, nextCursor: null } }),
    '/api/v1/deployments': { body: { items: [], nextCursor: null } },
    ...Object.fromEntries(
      releases.flatMap((release) => [
        [
          `PUT /api/v1/releases/${release.id}/quarantine`,
          (request: RecordedRequest) => {
            const target = find(request);
            target.quarantine = {
              by: 'Ana Lima',
              reason: (request.body as { reason: string }).reason,
              at: QUARANTINED_AT,
            };
            return { body: target };
          },
        ],
        [
          `DELETE /api/v1/releases/${release.id}/quarantine`,
          (request: RecordedRequest) => {
            const target = find(request);
            target.quarantine = null;
            return { body: target };
          },
        ],
      ]),
    ),
  });
  renderApp('/services/checkout-api');
  return { ...stub, releases };
}

async function rowOf(version: string) {
  const table = await screen.findByRole('table', { name: 'Releases' }, { timeout: 5000 });
  return within(table)
    .getByRole('rowheader', { name: new RegExp(`^${version.replace(/\./g, '\\.')}`) })
    .closest('tr')!;
}

describe('quarantine on the releases table', () => {
  it('shows who quarantined a release and why', async () => {
    setup();
    const row = await rowOf('v1.4.1');
    const badge = within(row).getByLabelText(/^Quarantined by Grace Hopper/);
    expect(badge).toHaveTextContent('Quarantined');
    expect(badge).toHaveAccessibleName(/Leaks memory under load/);
    await userEvent.hover(badge);
    expect(await screen.findByRole('tooltip')).toHaveTextContent('No stage may receive it.');
  });

  it('quarantines with a required reason', async () => {
    const { requests, releases } = setup();
    const row = await rowOf('v1.5.0');
    await userEvent.click(within(row).getByRole('button', { name: 'Quarantine v1.5.0…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Quarantine v1.5.0' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Quarantine release' }));
    expect(await within(dialog).findByText('Say why, in a few words.')).toBeInTheDocument();
    expect(requests.some((request) => request.method === 'PUT')).toBe(false);

    await userEvent.type(within(dialog).getByLabelText('Reason'), 'Corrupts carts');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Quarantine release' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const put = requests.find((request) => request.method === 'PUT')!;
    expect(put.path).toBe(`/api/v1/releases/${releases[0]!.id}/quarantine`);
    expect(put.body).toEqual({ reason: 'Corrupts carts' });
    expect(
      await within(await rowOf('v1.5.0')).findByLabelText(/^Quarantined by Ana Lima/),
    ).toBeInTheDocument();
  });

  it('lifts a quarantine after confirming', async () => {
    const { requests } = setup();
    const row = await rowOf('v1.4.1');
    await userEvent.click(within(row).getByRole('button', { name: 'Lift the quarantine of v1.4.1…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Lift the quarantine of v1.4.1?' });
    expect(dialog).toHaveTextContent('Leaks memory under load');
    expect(dialog).toHaveTextContent('can be promoted to every stage again');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Lift quarantine' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(requests.some((request) => request.method === 'DELETE')).toBe(true);
    await waitFor(async () =>
      expect(within(await rowOf('v1.4.1')).queryByLabelText(/^Quarantined by/)).not.toBeInTheDocument(),
    );
  });

  it('shows the badge but no actions to users who may not deploy', async () => {
    setup('viewer');
    const row = await rowOf('v1.4.1');
    expect(within(row).getByLabelText(/^Quarantined by Grace Hopper/)).toBeInTheDocument();
    expect(within(row).queryByRole('button', { name: /quarantine/i })).not.toBeInTheDocument();
    expect(within(await rowOf('v1.5.0')).queryByRole('button')).not.toBeInTheDocument();
  });
});
