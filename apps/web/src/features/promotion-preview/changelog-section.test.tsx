import {
  changelogSchema,
  promotionPreviewSchema,
  releaseSchema,
  type Board,
  type Changelog,
  type Release,
} from '@flightdeck/contracts';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { buildBoardFixture } from '../../test/fixtures/board';
import { fixtureId } from '../../test/fixtures/identity';
import { instanceFixture, renderApp, stubApi } from '../../test/render-app';

const LAZY = { timeout: 15_000 };

function release(version: string, sha: string): Release {
  return releaseSchema.parse({
    id: fixtureId(),
    serviceId: '00000000-0000-4000-a000-000000000001',
    serviceSlug: 'checkout-api',
    version,
    commitSha: sha.padEnd(40, '0'),
    artifactRef: null,
    notes: '',
    source: 'api',
    quarantine: null,
    createdAt: '2026-11-20T09:00:00.000Z',
  });
}

const current = release('v1.4.2', 'fed9876cba');
const candidate = release('v1.5.0', 'abc1234def');

function productionStage(board: Board) {
  const production = board.environments.find((entry) => entry.slug === 'production')!;
  return board.rows[0]!.cells[production.id]!.stageId;
}

function setup(changelog: Changelog) {
  const board = buildBoardFixture();
  const stageId = productionStage(board);
  const preview = promotionPreviewSchema.parse({
    stage: { id: stageId, serviceSlug: 'checkout-api', environmentSlug: 'production' },
    candidate,
    current,
    gates: [],
    ready: true,
    summary: 'Deploy v1.5.0 to production',
    changes: { direction: 'forward', releases: [candidate] },
  });
  const api = stubApi({
    '/api/v1/board': { body: board },
    '/api/v1/instance': { body: instanceFixture },
    '/api/v1/releases': { body: { items: [candidate, current], nextCursor: null } },
    [`/api/v1/stages/${stageId}/preview`]: { body: preview },
    [`/api/v1/stages/${stageId}/changelog`]: { body: changelogSchema.parse(changelog) },
  });
  renderApp('/');
  return api;
}

async function openPreview() {
  const grid = await screen.findByRole('grid');
  const cell = within(grid).getByRole('gridcell', { name: /^Checkout API in Production:/ });
  await userEvent.click(
    within(cell).getByRole('button', { name: 'Preview promotion of Checkout API to Production…' }),
  );
  return screen.findByRole('dialog', { name: 'Promote Checkout API to Production' }, LAZY);
}

// The dialog loads lazily; on a busy machine that alone can take seconds.
describe('commits and pull requests in the promotion preview', { timeout: 20_000 }, () => {
  it('lists the pull requests and commits GitHub reports, and how many more there are', async () => {
    const { calls } = setup({
      available: true,
      repository: 'acme/checkout',
      baseSha: current.commitSha,
      headSha: candidate.commitSha,
      direction: 'forward',
      compareUrl: 'https://github.com/acme/checkout/compare/a...b',
      commits: [
        {
          sha: '1111111aaaa',
          title: 'Faster checkout',
          author: 'ada',
          authorLogin: 'ada',
          date: '2026-11-20T09:00:00Z',
          url: 'https://github.com/acme/checkout/commit/1111111aaaa',
        },
      ],
      moreCommits: 3,
      pullRequests: [
        {
          number: 42,
          title: 'Faster checkout',
          author: 'ada',
          url: 'https://github.com/acme/checkout/pull/42',
        },
      ],
      pullRequestsComplete: false,
    });
    const dialog = await openPreview();
    const prs = await within(dialog).findByRole('list', { name: 'Pull requests' });
    expect(within(prs).getByRole('link', { name: '#42 Faster checkout' })).toHaveAttribute(
      'href',
      'https://github.com/acme/checkout/pull/42',
    );
    const commits = within(dialog).getByRole('list', { name: 'Commits' });
    expect(within(commits).getByRole('listitem')).toHaveTextContent('1111111 Faster checkout by ada');
    expect(within(dialog).getByText('and 3 more commits')).toBeInTheDocument();
    expect(within(dialog).getByText(/Brings 4 commits in/)).toBeInTheDocument();
    expect(calls.some((call) => call.includes(`/changelog?release=${candidate.id}`))).toBe(true);
  });

  it('says why there are no commits to show', async () => {
    setup({ available: false, reason: 'checkout-api has no GitHub repository' });
    const dialog = await openPreview();
    expect(await within(dialog).findByText('checkout-api has no GitHub repository')).toBeInTheDocument();
  });
});
