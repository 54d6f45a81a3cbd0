import { Inject, Injectable } from '@nestjs/common';
import { RequestError } from '@octokit/request-error';
import { GitHubClientFactory, type GitHubRepositoryRef } from './github-client.factory.js';

export interface CommitFacts {
  readonly sha: string;
  readonly message: string;
  readonly author: string | null;
  readonly committedAt: string | null;
}

export type CiVerdict =
  | { readonly state: 'green' }
  | { readonly state: 'pending'; readonly waitingFor: string[] }
  | { readonly state: 'failed'; readonly failed: string[] };

// A GET with If-None-Match: 304 means unchanged (and costs nothing against the rate limit).
export type Conditional<T> =
  { readonly changed: false } | { readonly changed: true; readonly data: T; readonly etag: string | null };

const FAILED = new Set(['failure', 'cancelled', 'timed_out', 'action_required', 'startup_failure', 'stale']);

// What the release rules need to read from a repository: commits, CI results, and conditional reads
// for the poller. Reads only, through the idempotent (retrying) client.
@Injectable()
export class GitHubSource {
  constructor(@Inject(GitHubClientFactory) private readonly factory: GitHubClientFactory) {}

  get configured(): boolean {
    return this.factory.configured;
  }

  async commit(repo: GitHubRepositoryRef, ref: string): Promise<CommitFacts> {
    const { idempotent } = await this.factory.forRepository(repo);
    const { data } = await idempotent.request('GET /repos/{owner}/{repo}/commits/{ref}', { ...repo, ref });
    return {
      sha: data.sha,
      message: data.commit.message,
      author: data.commit.author?.email ?? null,
      committedAt: data.commit.author?.date ?? data.commit.committer?.date ?? null,
    };
  }

  // Green when every status and check run on the commit succeeded (neutral and skipped count as
  // success, as on GitHub); pending while any runs or none has reported yet.
  async ci(repo: GitHubRepositoryRef, sha: string): Promise<CiVerdict> {
    const { idempotent } = await this.factory.forRepository(repo);
    const [combined, checks] = await Promise.all([
      idempotent.request('GET /repos/{owner}/{repo}/commits/{ref}/status', {
        ...repo,
        ref: sha,
        per_page: 100,
      }),
      idempotent.request('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', {
        ...repo,
        ref: sha,
        per_page: 100,
        filter: 'latest',
      }),
    ]);
    const failed = [
      ...combined.data.statuses
        .filter((s) => s.state === 'failure' || s.state === 'error')
        .map((s) => s.context),
      ...checks.data.check_runs.filter((r) => r.conclusion && FAILED.has(r.conclusion)).map((r) => r.name),
    ];
    if (failed.length) return { state: 'failed', failed };
    const waitingFor = [
      ...combined.data.statuses.filter((s) => s.state === 'pending').map((s) => s.context),
      ...checks.data.check_runs.filter((r) => r.status !== 'completed').map((r) => r.name),
    ];
    if (waitingFor.length) return { state: 'pending', waitingFor };
    if (combined.data.total_count === 0 && checks.data.total_count === 0)
      return { state: 'pending', waitingFor: ['any CI result'] };
    return { state: 'green' };
  }

  async releases(repo: GitHubRepositoryRef, etag: string | null) {
    const { idempotent } = await this.factory.forRepository(repo);
    return conditional(etag, (headers) =>
      idempotent.request('GET /repos/{owner}/{repo}/releases', { ...repo, per_page: 10, headers }),
    );
  }

  async tags(repo: GitHubRepositoryRef, etag: string | null) {
    const { idempotent } = await this.factory.forRepository(repo);
    return conditional(etag, (headers) =>
      idempotent.request('GET /repos/{owner}/{repo}/tags', { ...repo, per_page: 10, headers }),
    );
  }

  async branch(repo: GitHubRepositoryRef, branch: string, etag: string | null) {
    const { idempotent } = await this.factory.forRepository(repo);
    return conditional(etag, (headers) =>
      idempotent.request('GET /repos/{owner}/{repo}/branches/{branch}', { ...repo, branch, headers }),
    );
  }

  async successfulRuns(repo: GitHubRepositoryRef, branch: string, etag: string | null) {
    const { idempotent } = await this.factory.forRepository(repo);
    return conditional(etag, (headers) =>
      idempotent.request('GET /repos/{owner}/{repo}/actions/runs', {
        ...repo,
        branch,
        status: 'success',
        per_page: 10,
        headers,
      }),
    );
  }
}

async function conditional<T>(
  etag: string | null,
  send: (headers: Record<string, string>) => Promise<{ data: T; headers: { etag?: string } }>,
): Promise<Conditional<T>> {
  try {
    const response = await send(etag ? { 'if-none-match': etag } : {});
    return { changed: true, data: response.data, etag: response.headers.etag ?? null };
  } catch (error) {
    if (error instanceof RequestError && error.status === 304) return { changed: false };
    throw error;
  }
}
