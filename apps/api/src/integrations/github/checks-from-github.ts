import { checkState } from './checks-gate.js';
import type { StoredCheck } from './checks-store.js';
import type { GitHubClients } from './github-client.factory.js';

// GitHub's check runs and commit statuses as stored checks. The REST answers and the webhook payloads
// carry the same fields, so the poll and the webhooks cannot read them differently.

type Json = Record<string, unknown>;
export const obj = (value: unknown): Json => (value && typeof value === 'object' ? (value as Json) : {});
export const str = (value: unknown): string | null =>
  typeof value === 'string' && value !== '' ? value : null;
const num = (value: unknown): number | null => (typeof value === 'number' ? value : null);

export function checkFromRun(value: unknown): StoredCheck | null {
  const run = obj(value);
  const name = str(run.name);
  if (!name) return null;
  const status = str(run.status);
  const conclusion = str(run.conclusion);
  return {
    name,
    source: 'check_run',
    state: checkState('check_run', status, conclusion),
    conclusion: conclusion ?? status,
    url: str(run.html_url),
    // A run changes when it starts and when it completes.
    updatedAt: str(run.completed_at) ?? str(run.started_at),
    externalId: num(run.id),
  };
}

export function checkFromStatus(value: unknown): StoredCheck | null {
  const status = obj(value);
  const context = str(status.context);
  const state = str(status.state);
  if (!context || !state) return null;
  return {
    name: context,
    source: 'status',
    state: checkState('status', null, state),
    conclusion: state,
    url: str(status.target_url),
    updatedAt: str(status.updated_at) ?? str(status.created_at),
    externalId: num(status.id),
  };
}

const MAX_PAGES = 5;

// A commit's check runs (GitHub lists the latest run per name) and statuses (latest per context).
export async function fetchCommitChecks(
  gh: GitHubClients,
  ref: { readonly owner: string; readonly repo: string; readonly sha: string },
): Promise<StoredCheck[]> {
  const checks: StoredCheck[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const { data } = await gh.idempotent.request('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', {
      owner: ref.owner,
      repo: ref.repo,
      ref: ref.sha,
      per_page: 100,
      page,
    });
    for (const run of data.check_runs) {
      const check = checkFromRun(run);
      if (check) checks.push(check);
    }
    if (page * 100 >= data.total_count) break;
  }
  const { data: combined } = await gh.idempotent.request('GET /repos/{owner}/{repo}/commits/{ref}/status', {
    owner: ref.owner,
    repo: ref.repo,
    ref: ref.sha,
    per_page: 100,
  });
  for (const status of combined.statuses) {
    const check = checkFromStatus(status);
    if (check) checks.push(check);
  }
  return checks;
}
