import type { Board, BoardCell } from '@flightdeck/contracts';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import { Profiler, type ProfilerOnRenderCallback } from 'react';
import { createMemoryRouter } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../../app';
import { createQueryClient } from '../../config/query-client';
import { queryKeys } from '../../config/query-keys';
import { routes } from '../../routes';
import { buildBoardFixture } from '../../test/fixtures/board';
import { instanceFixture, stubApi } from '../../test/render-app';
import { patchBoardCell } from './board-cache';
import { describeCell } from './describe-cell';

// describeCell runs once per cell render: counting its calls counts which cells rendered.
vi.mock('./describe-cell', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./describe-cell')>();
  return { describeCell: vi.fn(actual.describeCell) };
});

const rendered = vi.mocked(describeCell);
const renderedCells = () =>
  rendered.mock.calls.map(([service, environment]) => `${service.name} in ${environment.name}`);

function cellOf(board: Board, service: string, environment: string): BoardCell {
  const env = board.environments.find((entry) => entry.slug === environment)!;
  return board.rows.find((row) => row.service.slug === service)!.cells[env.id]!;
}

async function renderBoard(reply: () => Board) {
  stubApi({ '/api/v1/board': () => ({ body: reply() }), '/api/v1/instance': { body: instanceFixture } });
  const commits: number[] = [];
  const onRender: ProfilerOnRenderCallback = (_id, _phase, duration) => commits.push(duration);
  const queryClient = createQueryClient();
  // The app in a Profiler: it proves an update was committed; the spy says which cells it rendered.
  render(
    <Profiler id="app" onRender={onRender}>
      <App router={createMemoryRouter(routes, { initialEntries: ['/'] })} queryClient={queryClient} />
    </Profiler>,
  );
  const grid = await screen.findByRole('grid', { name: 'Promotion board' });
  await waitFor(() => expect(within(grid).getAllByRole('rowheader')).toHaveLength(4));
  return { queryClient, grid, commits };
}

describe('board rendering', () => {
  it('renders only the changed cell when a live update patches one stage', async () => {
    const board = buildBoardFixture();
    const running = cellOf(board, 'search', 'dev');
    const { queryClient, grid, commits } = await renderBoard(() => board);
    rendered.mockClear();
    commits.length = 0;

    // What features/live does with a deployment.updated event.
    act(() =>
      patchBoardCell(queryClient, running.stageId, (cell) => ({
        ...cell,
        lastDeployment: { ...cell.lastDeployment!, status: 'verifying' },
      })),
    );

    const cell = within(grid).getByRole('gridcell', { name: /^Search in Dev:/ });
    await waitFor(() => expect(cell).toHaveAccessibleName(/verifying/));
    expect(commits.length).toBeGreaterThan(0);
    expect(renderedCells()).toEqual(['Search in Dev']);
  });

  it('renders only the changed cell when a refetch brings one change', async () => {
    const first = buildBoardFixture();
    // The next answer is the same board as new JSON with one stage locked: structural sharing keeps
    // every other row, so their props stay equal.
    const second: Board = structuredClone(first);
    cellOf(second, 'ledger', 'staging').lock = {
      by: 'ana@example.com',
      reason: 'Audit',
      at: second.generatedAt,
    };
    let answers = 0;
    const { queryClient, grid } = await renderBoard(() => (answers++ === 0 ? first : second));
    rendered.mockClear();

    await act(() => queryClient.invalidateQueries({ queryKey: queryKeys.board.all() }));

    const cell = within(grid).getByRole('gridcell', { name: /^Ledger in Staging:/ });
    await waitFor(() => expect(cell).toHaveAccessibleName(/locked by ana@example\.com: Audit/));
    expect(renderedCells()).toEqual(['Ledger in Staging']);
  });
});
