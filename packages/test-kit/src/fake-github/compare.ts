import { resolveRef } from './routes.js';
import { type FakeGitHub, problem } from './server.js';
import { type FakeCommit, type FakeRepo, nextFakeId } from './state.js';

// Comparing commits and the pull requests a commit belongs to, for the changelog. Usage:
//
//   installFakeCompare(gh);
//   const pr = fakePullRequest(repo, { title: 'Faster checkout', author: 'ada', commits: [c1.sha, c2.sha] });
//
// Like GitHub: compare `base...head` lists the commits reachable from head and not from base, oldest
// first, at most 250 (total_commits says how many there are); status is ahead, behind, identical or
// diverged.

export interface FakePullRequest {
  readonly id: number;
  readonly number: number;
  readonly title: string;
  readonly author: string;
  readonly commits: readonly string[];
  readonly createdAt: string;
}

const MAX_COMPARE_COMMITS = 250;
const pulls = new WeakMap<FakeRepo, FakePullRequest[]>();

export function fakePullRequest(
  repo: FakeRepo,
  options: { title: string; author?: string; commits: readonly string[] },
): FakePullRequest {
  const list = pulls.get(repo) ?? [];
  const pr: FakePullRequest = {
    id: nextFakeId(),
    number: list.length + 1,
    title: options.title,
    author: options.author ?? 'octocat',
    commits: options.commits,
    createdAt: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
  pulls.set(repo, [...list, pr]);
  return pr;
}

// Every commit reachable from `sha` (following all parents).
function ancestors(repo: FakeRepo, sha: string): Set<string> {
  const seen = new Set<string>();
  const queue = [sha];
  while (queue.length) {
    const next = queue.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    queue.push(...(repo.commits.get(next)?.parents ?? []));
  }
  return seen;
}

function oldestFirst(repo: FakeRepo, shas: Set<string>): FakeCommit[] {
  const order = [...repo.commits.keys()];
  return [...shas].sort((a, b) => order.indexOf(a) - order.indexOf(b)).map((sha) => repo.commits.get(sha)!);
}

export function installFakeCompare(gh: FakeGitHub): void {
  const shapes = gh.shapes;

  gh.route('GET', '/repos/{owner}/{repo}/compare/{basehead}', ({ repo, params }) => {
    const [baseRef, headRef] = params.basehead!.split('...');
    if (!baseRef || !headRef) return problem(404, 'Not Found');
    const base = resolveRef(repo!, baseRef);
    const head = resolveRef(repo!, headRef);
    if (!base || !head) return problem(404, 'Not Found');
    const fromHead = ancestors(repo!, head.sha);
    const fromBase = ancestors(repo!, base.sha);
    const ahead = new Set([...fromHead].filter((sha) => !fromBase.has(sha)));
    const behind = [...fromBase].filter((sha) => !fromHead.has(sha)).length;
    const mergeBase = oldestFirst(repo!, new Set([...fromHead].filter((sha) => fromBase.has(sha)))).at(-1);
    if (!mergeBase) return problem(404, `No common ancestor between ${baseRef} and ${headRef}.`);
    const status =
      ahead.size === 0 && behind === 0
        ? 'identical'
        : behind === 0
          ? 'ahead'
          : ahead.size === 0
            ? 'behind'
            : 'diverged';
    const commits = oldestFirst(repo!, ahead).slice(0, MAX_COMPARE_COMMITS);
    const web = `${shapes.webUrl}/${repo!.fullName}`;
    return {
      status: 200,
      body: {
        url: `${gh.url}/repos/${repo!.fullName}/compare/${params.basehead}`,
        html_url: `${web}/compare/${params.basehead}`,
        permalink_url: `${web}/compare/${base.sha}...${head.sha}`,
        diff_url: `${web}/compare/${params.basehead}.diff`,
        patch_url: `${web}/compare/${params.basehead}.patch`,
        base_commit: shapes.commit(repo!, base),
        merge_base_commit: shapes.commit(repo!, mergeBase),
        status,
        ahead_by: ahead.size,
        behind_by: behind,
        total_commits: ahead.size,
        commits: commits.map((c) => shapes.commit(repo!, c)),
        files: [],
      },
    };
  });

  gh.route('GET', '/repos/{owner}/{repo}/commits/{commit_sha}/pulls', ({ repo, params }) => {
    const commit = resolveRef(repo!, params.commit_sha!);
    if (!commit) return problem(422, `No commit found for SHA: ${params.commit_sha}`);
    const found = (pulls.get(repo!) ?? []).filter((pr) => pr.commits.includes(commit.sha));
    return { status: 200, body: found.map((pr) => pullRequest(gh, repo!, pr)) };
  });
}

function pullRequest(gh: FakeGitHub, repo: FakeRepo, pr: FakePullRequest) {
  const shapes = gh.shapes;
  const api = `${gh.url}/repos/${repo.fullName}`;
  const web = `${shapes.webUrl}/${repo.fullName}`;
  const url = `${api}/pulls/${pr.number}`;
  const mergeSha = pr.commits.at(-1) ?? null;
  const end = (ref: string, sha: string) => ({
    label: `${repo.owner}:${ref}`,
    ref,
    repo: fullRepository(gh, repo),
    sha,
    user: shapes.user(repo.owner, 'Organization'),
  });
  return {
    url,
    id: pr.id,
    node_id: `PR_${pr.id}`,
    html_url: `${web}/pull/${pr.number}`,
    diff_url: `${web}/pull/${pr.number}.diff`,
    patch_url: `${web}/pull/${pr.number}.patch`,
    issue_url: `${api}/issues/${pr.number}`,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${api}/issues/${pr.number}/comments`,
    statuses_url: `${api}/statuses/${mergeSha ?? ''}`,
    number: pr.number,
    state: 'closed',
    locked: false,
    title: pr.title,
    user: shapes.user(pr.author),
    body: null,
    labels: [],
    milestone: null,
    created_at: pr.createdAt,
    updated_at: pr.createdAt,
    closed_at: pr.createdAt,
    merged_at: pr.createdAt,
    merge_commit_sha: mergeSha,
    assignee: null,
    head: end(`pr-${pr.number}`, pr.commits[0] ?? ''),
    base: end(repo.defaultBranch, mergeSha ?? ''),
    _links: {
      self: { href: url },
      html: { href: `${web}/pull/${pr.number}` },
      issue: { href: `${api}/issues/${pr.number}` },
      comments: { href: `${api}/issues/${pr.number}/comments` },
      review_comments: { href: `${url}/comments` },
      review_comment: { href: `${api}/pulls/comments{/number}` },
      commits: { href: `${url}/commits` },
      statuses: { href: `${api}/statuses/${mergeSha ?? ''}` },
    },
    author_association: 'MEMBER',
    auto_merge: null,
    draft: false,
  };
}

// GitHub's full repository shape (pull requests carry it for their head and base).
function fullRepository(gh: FakeGitHub, repo: FakeRepo) {
  const url = `${gh.url}/repos/${repo.fullName}`;
  const extra: Record<string, string> = {};
  for (const key of ['clone_url', 'git_url', 'mirror_url', 'ssh_url', 'svn_url']) extra[key] = `${url}.git`;
  return {
    ...gh.shapes.minimalRepository(repo),
    ...extra,
    default_branch: repo.defaultBranch,
    forks: 0,
    forks_count: 0,
    has_downloads: false,
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    homepage: null,
    language: 'TypeScript',
    archived: false,
    disabled: false,
    open_issues: 0,
    open_issues_count: 0,
    license: null,
    pushed_at: null,
    size: 1,
    stargazers_count: 0,
    watchers: 0,
    watchers_count: 0,
    created_at: null,
    updated_at: null,
  };
}
