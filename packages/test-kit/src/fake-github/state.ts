import { createHash } from 'node:crypto';

// The fake GitHub's data: repositories with commits, branches, tags, releases, commit statuses, check
// runs and workflow runs. Tests add to it directly (`repo.commit(...)`, `repo.release(...)`); routes
// read it and render GitHub's JSON shapes with the builders below.

export interface FakeGitHubPerson {
  readonly name: string;
  readonly email: string;
  // GitHub account, when the e-mail belongs to one.
  readonly login?: string;
}

export interface FakeCommit {
  readonly sha: string;
  readonly message: string;
  readonly author: FakeGitHubPerson;
  readonly date: string;
  readonly parents: string[];
}

export interface FakeRelease {
  readonly id: number;
  tagName: string;
  targetCommitish: string;
  name: string;
  body: string;
  draft: boolean;
  prerelease: boolean;
  readonly createdAt: string;
  publishedAt: string | null;
  readonly author: string;
}

export interface FakeCommitStatus {
  readonly id: number;
  readonly context: string;
  readonly state: 'error' | 'failure' | 'pending' | 'success';
  readonly description: string | null;
  readonly targetUrl: string | null;
  readonly createdAt: string;
}

export interface FakeCheckRun {
  readonly id: number;
  readonly headSha: string;
  readonly name: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion:
    'success' | 'failure' | 'neutral' | 'cancelled' | 'skipped' | 'timed_out' | 'action_required' | null;
  readonly startedAt: string;
  completedAt: string | null;
}

export interface FakeWorkflowRun {
  readonly id: number;
  readonly workflowId: number;
  // e.g. "CI" (the workflow's name) and ".github/workflows/ci.yml".
  readonly name: string;
  readonly path: string;
  readonly headBranch: string;
  readonly headSha: string;
  readonly event: string;
  status: 'queued' | 'in_progress' | 'completed' | 'waiting' | 'requested' | 'pending';
  conclusion:
    'success' | 'failure' | 'neutral' | 'cancelled' | 'skipped' | 'timed_out' | 'action_required' | null;
  readonly runNumber: number;
  readonly createdAt: string;
  updatedAt: string;
  // Inputs of a workflow_dispatch, as dispatched.
  readonly inputs: Record<string, unknown>;
}

let ids = 1000;
export const nextFakeId = (): number => ++ids;

export function fakeSha(seed: string): string {
  return createHash('sha1').update(seed).digest('hex');
}

export class FakeRepo {
  readonly id = nextFakeId();
  readonly commits = new Map<string, FakeCommit>();
  readonly branches = new Map<string, string>();
  // Tag name → commit sha, in creation order (GitHub lists newest first).
  readonly tags = new Map<string, string>();
  readonly releases: FakeRelease[] = [];
  readonly statuses = new Map<string, FakeCommitStatus[]>();
  readonly checkRuns: FakeCheckRun[] = [];
  readonly workflowRuns: FakeWorkflowRun[] = [];

  constructor(
    readonly owner: string,
    readonly name: string,
    public defaultBranch = 'main',
  ) {
    // Every repository starts with one commit on its default branch, like `git init` + first push.
    this.commit({ message: 'Initial commit' });
  }

  get fullName(): string {
    return `${this.owner}/${this.name}`;
  }

  // A new commit on a branch (default: the default branch), which moves the branch head to it.
  commit(
    options: { message?: string; author?: FakeGitHubPerson; branch?: string; date?: Date } = {},
  ): FakeCommit {
    const branch = options.branch ?? this.defaultBranch;
    const parent = this.branches.get(branch);
    const message = options.message ?? `Change ${this.commits.size + 1}`;
    const date = (options.date ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const sha = fakeSha(`${this.fullName}\n${parent ?? ''}\n${message}\n${date}\n${this.commits.size}`);
    const commit: FakeCommit = {
      sha,
      message,
      author: options.author ?? {
        name: 'Octo Cat',
        email: 'octocat@users.noreply.github.com',
        login: 'octocat',
      },
      date,
      parents: parent ? [parent] : [],
    };
    this.commits.set(sha, commit);
    this.branches.set(branch, sha);
    return commit;
  }

  head(branch = this.defaultBranch): FakeCommit {
    const sha = this.branches.get(branch);
    if (!sha) throw new Error(`fake GitHub: ${this.fullName} has no branch ${branch}`);
    return this.commits.get(sha)!;
  }

  tag(name: string, sha = this.head().sha): void {
    if (!this.commits.has(sha)) throw new Error(`fake GitHub: ${this.fullName} has no commit ${sha}`);
    this.tags.set(name, sha);
  }

  // A published release (tagging the commit when the tag does not exist yet).
  release(options: {
    tag: string;
    name?: string;
    body?: string;
    sha?: string;
    draft?: boolean;
    prerelease?: boolean;
  }): FakeRelease {
    if (!this.tags.has(options.tag)) this.tag(options.tag, options.sha);
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const release: FakeRelease = {
      id: nextFakeId(),
      tagName: options.tag,
      targetCommitish: this.defaultBranch,
      name: options.name ?? options.tag,
      body: options.body ?? '',
      draft: options.draft ?? false,
      prerelease: options.prerelease ?? false,
      createdAt: now,
      publishedAt: options.draft ? null : now,
      author: 'octocat',
    };
    this.releases.push(release);
    return release;
  }

  status(sha: string, context: string, state: FakeCommitStatus['state'], description: string | null = null) {
    const list = this.statuses.get(sha) ?? [];
    list.push({
      id: nextFakeId(),
      context,
      state,
      description,
      targetUrl: null,
      createdAt: new Date().toISOString(),
    });
    this.statuses.set(sha, list);
  }

  checkRun(
    sha: string,
    name: string,
    status: FakeCheckRun['status'],
    conclusion: FakeCheckRun['conclusion'] = null,
  ): FakeCheckRun {
    const now = new Date().toISOString();
    const run: FakeCheckRun = {
      id: nextFakeId(),
      headSha: sha,
      name,
      status,
      conclusion,
      startedAt: now,
      completedAt: status === 'completed' ? now : null,
    };
    this.checkRuns.push(run);
    return run;
  }

  workflowRun(options: {
    name?: string;
    path?: string;
    sha?: string;
    branch?: string;
    event?: string;
    status?: FakeWorkflowRun['status'];
    conclusion?: FakeWorkflowRun['conclusion'];
    inputs?: Record<string, unknown>;
  }): FakeWorkflowRun {
    const name = options.name ?? 'CI';
    const path = options.path ?? `.github/workflows/${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.yml`;
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const status = options.status ?? 'completed';
    const run: FakeWorkflowRun = {
      id: nextFakeId(),
      workflowId: Number.parseInt(fakeSha(`${this.fullName}/${path}`).slice(0, 7), 16),
      name,
      path,
      headBranch: options.branch ?? this.defaultBranch,
      headSha: options.sha ?? this.head(options.branch).sha,
      event: options.event ?? 'push',
      status,
      conclusion: options.conclusion ?? (status === 'completed' ? 'success' : null),
      runNumber: this.workflowRuns.filter((r) => r.path === path).length + 1,
      createdAt: now,
      updatedAt: now,
      inputs: options.inputs ?? {},
    };
    this.workflowRuns.push(run);
    return run;
  }
}

// GitHub's JSON shapes, complete enough to satisfy its OpenAPI description.
export class FakeGitHubShapes {
  constructor(
    // Where clients reach the API (e.g. http://127.0.0.1:1234) and the web UI links point.
    readonly apiUrl: string,
    readonly webUrl: string,
  ) {}

  user(login: string, type: 'User' | 'Organization' | 'Bot' = 'User') {
    const url = `${this.apiUrl}/users/${login}`;
    return {
      login,
      id: Number.parseInt(fakeSha(login).slice(0, 7), 16),
      node_id: `U_${login}`,
      avatar_url: `${this.webUrl}/${login}.png`,
      gravatar_id: '',
      url,
      html_url: `${this.webUrl}/${login}`,
      followers_url: `${url}/followers`,
      following_url: `${url}/following{/other_user}`,
      gists_url: `${url}/gists{/gist_id}`,
      starred_url: `${url}/starred{/owner}{/repo}`,
      subscriptions_url: `${url}/subscriptions`,
      organizations_url: `${url}/orgs`,
      repos_url: `${url}/repos`,
      events_url: `${url}/events{/privacy}`,
      received_events_url: `${url}/received_events`,
      type,
      site_admin: false,
    };
  }

  minimalRepository(repo: FakeRepo) {
    const url = `${this.apiUrl}/repos/${repo.fullName}`;
    const templated: Record<string, string> = {};
    for (const [key, suffix] of Object.entries(REPO_URLS)) templated[key] = `${url}/${suffix}`;
    return {
      id: repo.id,
      node_id: `R_${repo.id}`,
      name: repo.name,
      full_name: repo.fullName,
      owner: this.user(repo.owner, 'Organization'),
      private: true,
      html_url: `${this.webUrl}/${repo.fullName}`,
      description: null,
      fork: false,
      url,
      ...templated,
    };
  }

  gitCommit(repo: FakeRepo, commit: FakeCommit) {
    const person = { name: commit.author.name, email: commit.author.email, date: commit.date };
    return {
      url: `${this.apiUrl}/repos/${repo.fullName}/git/commits/${commit.sha}`,
      author: person,
      committer: person,
      message: commit.message,
      comment_count: 0,
      tree: { sha: fakeSha(`tree ${commit.sha}`), url: `${this.apiUrl}/repos/${repo.fullName}/git/trees/x` },
      verification: {
        verified: false,
        reason: 'unsigned',
        payload: null,
        signature: null,
        verified_at: null,
      },
    };
  }

  commit(repo: FakeRepo, commit: FakeCommit) {
    const url = `${this.apiUrl}/repos/${repo.fullName}/commits/${commit.sha}`;
    const account = commit.author.login ? this.user(commit.author.login) : null;
    return {
      url,
      sha: commit.sha,
      node_id: `C_${commit.sha.slice(0, 12)}`,
      html_url: `${this.webUrl}/${repo.fullName}/commit/${commit.sha}`,
      comments_url: `${url}/comments`,
      commit: this.gitCommit(repo, commit),
      author: account,
      committer: account,
      parents: commit.parents.map((sha) => ({
        sha,
        url: `${this.apiUrl}/repos/${repo.fullName}/commits/${sha}`,
        html_url: `${this.webUrl}/${repo.fullName}/commit/${sha}`,
      })),
    };
  }

  branch(repo: FakeRepo, name: string) {
    const url = `${this.apiUrl}/repos/${repo.fullName}/branches/${name}`;
    return {
      name,
      commit: this.commit(repo, repo.head(name)),
      _links: { html: `${this.webUrl}/${repo.fullName}/tree/${name}`, self: url },
      protected: false,
      protection: {
        enabled: false,
        required_status_checks: { enforcement_level: 'off', contexts: [], checks: [] },
      },
      protection_url: `${url}/protection`,
    };
  }

  tag(repo: FakeRepo, name: string, sha: string) {
    return {
      name,
      commit: { sha, url: `${this.apiUrl}/repos/${repo.fullName}/commits/${sha}` },
      zipball_url: `${this.apiUrl}/repos/${repo.fullName}/zipball/refs/tags/${name}`,
      tarball_url: `${this.apiUrl}/repos/${repo.fullName}/tarball/refs/tags/${name}`,
      node_id: `REF_${fakeSha(name).slice(0, 12)}`,
    };
  }

  release(repo: FakeRepo, release: FakeRelease) {
    const url = `${this.apiUrl}/repos/${repo.fullName}/releases/${release.id}`;
    return {
      url,
      html_url: `${this.webUrl}/${repo.fullName}/releases/tag/${release.tagName}`,
      assets_url: `${url}/assets`,
      upload_url: `${this.webUrl}/uploads/repos/${repo.fullName}/releases/${release.id}/assets{?name,label}`,
      tarball_url: `${this.apiUrl}/repos/${repo.fullName}/tarball/${release.tagName}`,
      zipball_url: `${this.apiUrl}/repos/${repo.fullName}/zipball/${release.tagName}`,
      id: release.id,
      node_id: `RE_${release.id}`,
      tag_name: release.tagName,
      target_commitish: release.targetCommitish,
      name: release.name,
      body: release.body,
      draft: release.draft,
      prerelease: release.prerelease,
      immutable: false,
      created_at: release.createdAt,
      published_at: release.publishedAt,
      author: this.user(release.author),
      assets: [],
    };
  }

  combinedStatus(repo: FakeRepo, sha: string) {
    // The latest status per context counts, as on GitHub.
    const latest = new Map<string, FakeCommitStatus>();
    for (const status of repo.statuses.get(sha) ?? []) latest.set(status.context, status);
    const statuses = [...latest.values()];
    const state = statuses.some((s) => s.state === 'failure' || s.state === 'error')
      ? 'failure'
      : statuses.length === 0 || statuses.some((s) => s.state === 'pending')
        ? 'pending'
        : 'success';
    return {
      state,
      statuses: statuses.map((s) => ({
        url: `${this.apiUrl}/repos/${repo.fullName}/statuses/${sha}`,
        avatar_url: null,
        id: s.id,
        node_id: `SC_${s.id}`,
        state: s.state,
        description: s.description,
        target_url: s.targetUrl,
        context: s.context,
        created_at: s.createdAt,
        updated_at: s.createdAt,
      })),
      sha,
      total_count: statuses.length,
      repository: this.minimalRepository(repo),
      commit_url: `${this.apiUrl}/repos/${repo.fullName}/commits/${sha}`,
      url: `${this.apiUrl}/repos/${repo.fullName}/commits/${sha}/status`,
    };
  }

  checkRun(repo: FakeRepo, run: FakeCheckRun) {
    const url = `${this.apiUrl}/repos/${repo.fullName}/check-runs/${run.id}`;
    return {
      id: run.id,
      head_sha: run.headSha,
      node_id: `CR_${run.id}`,
      external_id: String(run.id),
      url,
      html_url: `${this.webUrl}/${repo.fullName}/runs/${run.id}`,
      details_url: `${this.webUrl}/${repo.fullName}/runs/${run.id}`,
      status: run.status,
      conclusion: run.conclusion,
      started_at: run.startedAt,
      completed_at: run.completedAt,
      output: {
        title: null,
        summary: null,
        text: null,
        annotations_count: 0,
        annotations_url: `${url}/annotations`,
      },
      name: run.name,
      check_suite: { id: run.id + 1 },
      app: null,
      pull_requests: [],
    };
  }

  workflowRun(repo: FakeRepo, run: FakeWorkflowRun) {
    const base = `${this.apiUrl}/repos/${repo.fullName}/actions`;
    const url = `${base}/runs/${run.id}`;
    const commit = repo.commits.get(run.headSha);
    return {
      id: run.id,
      name: run.name,
      node_id: `WFR_${run.id}`,
      head_branch: run.headBranch,
      head_sha: run.headSha,
      path: run.path,
      display_title: commit?.message.split('\n')[0] ?? run.name,
      run_number: run.runNumber,
      run_attempt: 1,
      event: run.event,
      status: run.status,
      conclusion: run.conclusion,
      workflow_id: run.workflowId,
      url,
      html_url: `${this.webUrl}/${repo.fullName}/actions/runs/${run.id}`,
      pull_requests: [],
      created_at: run.createdAt,
      updated_at: run.updatedAt,
      run_started_at: run.createdAt,
      jobs_url: `${url}/jobs`,
      logs_url: `${url}/logs`,
      check_suite_url: `${this.apiUrl}/repos/${repo.fullName}/check-suites/${run.id + 1}`,
      artifacts_url: `${url}/artifacts`,
      cancel_url: `${url}/cancel`,
      rerun_url: `${url}/rerun`,
      workflow_url: `${base}/workflows/${run.workflowId}`,
      head_commit: commit
        ? {
            id: commit.sha,
            tree_id: fakeSha(`tree ${commit.sha}`),
            message: commit.message,
            timestamp: commit.date,
            author: { name: commit.author.name, email: commit.author.email },
            committer: { name: commit.author.name, email: commit.author.email },
          }
        : null,
      repository: this.minimalRepository(repo),
      head_repository: this.minimalRepository(repo),
    };
  }
}

const REPO_URLS: Record<string, string> = {
  archive_url: '{archive_format}{/ref}',
  assignees_url: 'assignees{/user}',
  blobs_url: 'git/blobs{/sha}',
  branches_url: 'branches{/branch}',
  collaborators_url: 'collaborators{/collaborator}',
  comments_url: 'comments{/number}',
  commits_url: 'commits{/sha}',
  compare_url: 'compare/{base}...{head}',
  contents_url: 'contents/{+path}',
  contributors_url: 'contributors',
  deployments_url: 'deployments',
  downloads_url: 'downloads',
  events_url: 'events',
  forks_url: 'forks',
  git_commits_url: 'git/commits{/sha}',
  git_refs_url: 'git/refs{/sha}',
  git_tags_url: 'git/tags{/sha}',
  hooks_url: 'hooks',
  issue_comment_url: 'issues/comments{/number}',
  issue_events_url: 'issues/events{/number}',
  issues_url: 'issues{/number}',
  keys_url: 'keys{/key_id}',
  labels_url: 'labels{/name}',
  languages_url: 'languages',
  merges_url: 'merges',
  milestones_url: 'milestones{/number}',
  notifications_url: 'notifications{?since,all,participating}',
  pulls_url: 'pulls{/number}',
  releases_url: 'releases{/id}',
  stargazers_url: 'stargazers',
  statuses_url: 'statuses/{sha}',
  subscribers_url: 'subscribers',
  subscription_url: 'subscription',
  tags_url: 'tags',
  teams_url: 'teams',
  trees_url: 'git/trees{/sha}',
};
