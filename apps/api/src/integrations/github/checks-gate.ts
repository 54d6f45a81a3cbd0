import type { Gate } from '@flightdeck/contracts';
import { z } from 'zod';
import type { Tx } from '../../database/prisma.service.js';

// One check of a commit as stored in github_commit_checks: a check run or a commit status context.
export const commitCheckSchema = z.object({
  name: z.string(),
  source: z.enum(['check_run', 'status']),
  state: z.enum(['success', 'failure', 'pending']),
  // GitHub's conclusion or status state, for people ("timed_out", "error").
  conclusion: z.string().nullable(),
  url: z.string().nullable(),
});
export type CommitCheck = z.infer<typeof commitCheckSchema>;

export interface ChecksGateFacts {
  readonly required: readonly string[];
  // null: GitHub has not been asked about this commit yet.
  readonly checks: readonly CommitCheck[] | null;
  readonly fetchedAt: Date | null;
  // Why there is nothing to go on (no repository, GitHub not configured), if so.
  readonly unavailable: string | null;
}

const PASSING = new Set(['success', 'neutral', 'skipped']);

// A check run's or status's verdict. A check run is pending until completed.
export function checkState(
  source: CommitCheck['source'],
  status: string | null,
  conclusion: string | null,
): CommitCheck['state'] {
  if (source === 'status') {
    return conclusion === 'success' ? 'success' : conclusion === 'pending' ? 'pending' : 'failure';
  }
  if (status !== 'completed') return 'pending';
  return PASSING.has(conclusion ?? '') ? 'success' : 'failure';
}

// The verdict per required name: a failing one fails, a missing or unfinished one waits.
export function requiredVerdicts(required: readonly string[], checks: readonly CommitCheck[]) {
  return required.map((name) => {
    const matching = checks.filter((check) => check.name === name);
    const state: CommitCheck['state'] = matching.some((c) => c.state === 'failure')
      ? 'failure'
      : matching.length > 0 && matching.every((c) => c.state === 'success')
        ? 'success'
        : 'pending';
    return { name, state, check: matching[0] ?? null };
  });
}

function ago(from: Date, now: Date): string {
  const seconds = Math.max(0, Math.round((now.getTime() - from.getTime()) / 1000));
  if (seconds < 90) return `${seconds} s ago`;
  const minutes = Math.round(seconds / 60);
  return minutes < 90 ? `${minutes} min ago` : `${Math.round(minutes / 60)} h ago`;
}

// The `checks` gate: the stage's required checks on the candidate's commit, as last fetched.
export function checksGate(
  facts: ChecksGateFacts | null | undefined,
  action: 'promote' | 'rollback' | 'redeploy' | 'record',
  now: Date,
): Gate | null {
  if (!facts || facts.required.length === 0) return null;
  const names = facts.required.join(', ');
  const gate = (state: Gate['state'], message: string): Gate => ({
    kind: 'checks',
    state,
    message,
    until: null,
  });
  // Going back to a release that ran before is what a CI gate should not delay.
  if (action === 'rollback') return gate('pass', `Rollbacks skip the required CI checks (${names})`);
  if (facts.unavailable) return gate('fail', `Cannot check CI (${names}): ${facts.unavailable}`);
  if (facts.checks === null || facts.fetchedAt === null) {
    return gate('waiting', `Waiting for CI: ${names} (not fetched from GitHub yet)`);
  }
  const fresh = `checked ${ago(facts.fetchedAt, now)}`;
  const verdicts = requiredVerdicts(facts.required, facts.checks);
  const failed = verdicts.filter((v) => v.state === 'failure').map((v) => v.name);
  if (failed.length) return gate('fail', `CI failed: ${failed.join(', ')} (${fresh})`);
  const pending = verdicts.filter((v) => v.state === 'pending').map((v) => v.name);
  if (pending.length) return gate('waiting', `Waiting for CI: ${pending.join(', ')} (${fresh})`);
  return gate('pass', `CI passed: ${names} (${fresh})`);
}

export function repoKey(owner: string, name: string): string {
  return `${owner}/${name}`.toLowerCase();
}

// Reads the stored results only: the gates never call GitHub.
export async function loadChecksGateFacts(
  tx: Tx,
  stage: { readonly id: string },
  releaseId: string,
  gitHubConfigured: boolean,
): Promise<ChecksGateFacts | null> {
  const row = await tx.stage.findUnique({
    where: { id: stage.id },
    select: { requiredChecks: true, service: { select: { repoOwner: true, repoName: true } } },
  });
  if (!row || row.requiredChecks.length === 0) return null;
  const { repoOwner, repoName } = row.service;
  const base = { required: row.requiredChecks, checks: null, fetchedAt: null };
  if (!repoOwner || !repoName) return { ...base, unavailable: 'the service has no GitHub repository' };
  if (!gitHubConfigured) return { ...base, unavailable: 'GitHub is not configured' };
  const release = await tx.release.findUnique({ where: { id: releaseId }, select: { commitSha: true } });
  if (!release) return { ...base, unavailable: null };
  const stored = await tx.gitHubCommitChecks.findUnique({
    where: { repoFullName_sha: { repoFullName: repoKey(repoOwner, repoName), sha: release.commitSha } },
  });
  if (!stored) return { ...base, unavailable: null };
  const checks = z.array(commitCheckSchema).catch([]).parse(stored.checks);
  return { required: row.requiredChecks, checks, fetchedAt: stored.fetchedAt, unavailable: null };
}
