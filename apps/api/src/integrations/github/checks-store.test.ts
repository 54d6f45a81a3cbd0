import { describe, expect, it } from 'vitest';
import { checkFromRun, checkFromStatus } from './checks-from-github.js';
import { mergeChecks, type StoredCheck } from './checks-store.js';

const run = (
  id: number,
  status: string,
  conclusion: string | null,
  startedAt: string,
  completedAt: string | null,
) =>
  checkFromRun({ id, name: 'build', status, conclusion, started_at: startedAt, completed_at: completedAt })!;
const status = (id: number, state: string, at: string) =>
  checkFromStatus({ id, context: 'ci/e2e', state, created_at: at, updated_at: at })!;

describe('mergeChecks', () => {
  const started = run(1, 'in_progress', null, '2026-11-22T10:00:00Z', null);
  const failed = run(1, 'completed', 'failure', '2026-11-22T10:00:00Z', '2026-11-22T10:05:00Z');
  const rerun = run(2, 'in_progress', null, '2026-11-22T10:06:00Z', null);

  it('keeps one entry per check, the newest by GitHub time', () => {
    expect(mergeChecks([started], [failed])).toEqual([failed]);
    expect(mergeChecks([failed], [started])).toEqual([failed]);
    expect(mergeChecks([failed], [rerun])).toEqual([rerun]);
    expect(mergeChecks([rerun], [failed])).toEqual([rerun]);
  });

  it('orders statuses of the same second by id, and keeps checks of other names', () => {
    const pending = status(10, 'pending', '2026-11-22T10:00:00Z');
    const success = status(11, 'success', '2026-11-22T10:00:00Z');
    expect(mergeChecks([success], [pending])).toEqual([success]);
    expect(mergeChecks([pending], [success])).toEqual([success]);
    expect(mergeChecks([failed], [success]).map((c) => c.name)).toEqual(['build', 'ci/e2e']);
  });

  it('takes a finished run over the same run unfinished at the same time, and reads old rows', () => {
    const same = run(3, 'completed', 'success', '2026-11-22T10:00:00Z', null);
    const unfinished = run(3, 'in_progress', null, '2026-11-22T10:00:00Z', null);
    expect(mergeChecks([same], [unfinished])).toEqual([same]);
    // Rows stored before the times were kept: anything GitHub says now is newer.
    const old: StoredCheck = {
      name: 'build',
      source: 'check_run',
      state: 'failure',
      conclusion: 'failure',
      url: null,
    };
    expect(mergeChecks([old], [started])).toEqual([started]);
  });
});
