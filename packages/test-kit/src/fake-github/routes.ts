import { randomBytes } from 'node:crypto';
import { type FakeGitHub, type FakeGitHubAnswer, type FakeGitHubContext, problem } from './server.js';
import type { FakeCommit, FakeRepo } from './state.js';

// The endpoints Flightdeck's GitHub integration uses. Others extend the fake with `gh.route(...)`.

// A ref as GitHub resolves it: a full sha, a branch, a tag, or an abbreviated sha.
export function resolveRef(repo: FakeRepo, ref: string): FakeCommit | null {
  const name = ref.replace(/^refs\/(heads|tags)\//, '');
  const sha = repo.branches.get(name) ?? repo.tags.get(name) ?? (repo.commits.has(ref) ? ref : undefined);
  if (sha) return repo.commits.get(sha) ?? null;
  if (/^[0-9a-f]{7,39}$/.test(ref)) {
    for (const commit of repo.commits.values()) if (commit.sha.startsWith(ref)) return commit;
  }
  return null;
}

// GitHub's page/per_page pagination with a Link header.
export function paginate<T>(context: FakeGitHubContext, items: T[]): FakeGitHubAnswer & { body: T[] } {
  const perPage = Math.min(Math.max(Number(context.query.get('per_page') ?? 30) || 30, 1), 100);
  const page = Math.max(Number(context.query.get('page') ?? 1) || 1, 1);
  const body = items.slice((page - 1) * perPage, page * perPage);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const link = (n: number, rel: string) => {
    const query = new URLSearchParams(context.query);
    query.set('page', String(n));
    query.set('per_page', String(perPage));
    return `<${context.gh.url}${context.path}?${query.toString()}>; rel="${rel}"`;
  };
  const links = [
    ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []),
    ...(page > 1 ? [link(1, 'first'), link(page - 1, 'prev')] : []),
  ];
  return { status: 200, body, headers: links.length ? { link: links.join(', ') } : {} };
}

function ok(body: unknown, status = 200): FakeGitHubAnswer {
  return { status, body };
}

export function installBuiltInRoutes(gh: FakeGitHub): void {
  const shapes = gh.shapes;

  gh.route(
    'GET',
    '/repos/{owner}/{repo}/installation',
    ({ params }) => {
      const installation = gh.installations.get(params.owner!.toLowerCase());
      if (!installation) return problem(404, 'Not Found');
      const account = shapes.user(installation.owner, 'Organization');
      return ok({
        id: installation.id,
        account,
        repository_selection: 'all',
        access_tokens_url: `${gh.url}/app/installations/${installation.id}/access_tokens`,
        repositories_url: `${gh.url}/installation/repositories`,
        html_url: `${shapes.webUrl}/organizations/${installation.owner}/settings/installations/${installation.id}`,
        app_id: Number(gh.app.id),
        target_id: account.id,
        target_type: 'Organization',
        permissions: {
          contents: 'read',
          statuses: 'read',
          checks: 'read',
          actions: 'write',
          deployments: 'write',
        },
        events: ['push', 'release', 'workflow_run', 'create'],
        created_at: installation.createdAt,
        updated_at: installation.createdAt,
        single_file_name: null,
        app_slug: gh.app.slug,
        suspended_by: null,
        suspended_at: null,
      });
    },
    { auth: 'app' },
  );

  gh.route(
    'POST',
    '/app/installations/{installation_id}/access_tokens',
    ({ params }) => {
      const id = Number(params.installation_id);
      if (![...gh.installations.values()].some((i) => i.id === id)) return problem(404, 'Not Found');
      const token = `ghs_${randomBytes(18).toString('hex')}`;
      const expiresAt = Date.now() + 3600_000;
      gh.installationTokens.set(token, { installationId: id, expiresAt });
      return ok(
        {
          token,
          expires_at: new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          permissions: {
            contents: 'read',
            statuses: 'read',
            checks: 'read',
            actions: 'write',
            deployments: 'write',
          },
          repository_selection: 'all',
        },
        201,
      );
    },
    { auth: 'app' },
  );

  gh.route('GET', '/repos/{owner}/{repo}/releases', (context) => {
    const repo = context.repo!;
    // Newest first; drafts are visible to an installation with contents access.
    const releases = [...repo.releases].reverse().map((r) => shapes.release(repo, r));
    return paginate(context, releases);
  });

  gh.route('GET', '/repos/{owner}/{repo}/releases/tags/{tag}', ({ repo, params }) => {
    const release = repo!.releases.find((r) => r.tagName === params.tag && !r.draft);
    return release ? ok(shapes.release(repo!, release)) : problem(404, 'Not Found');
  });

  gh.route('GET', '/repos/{owner}/{repo}/tags', (context) => {
    const repo = context.repo!;
    const tags = [...repo.tags.entries()].reverse().map(([name, sha]) => shapes.tag(repo, name, sha));
    return paginate(context, tags);
  });

  gh.route('GET', '/repos/{owner}/{repo}/branches/{branch}', ({ repo, params }) => {
    if (!repo!.branches.has(params.branch!)) return problem(404, 'Branch not found');
    return ok(shapes.branch(repo!, params.branch!));
  });

  gh.route('GET', '/repos/{owner}/{repo}/commits/{ref}', ({ repo, params }) => {
    const commit = resolveRef(repo!, params.ref!);
    if (!commit) return problem(422, `No commit found for SHA: ${params.ref}`);
    return ok(shapes.commit(repo!, commit));
  });

  gh.route('GET', '/repos/{owner}/{repo}/commits/{ref}/status', ({ repo, params }) => {
    const commit = resolveRef(repo!, params.ref!);
    if (!commit) return problem(404, 'Not Found');
    return ok(shapes.combinedStatus(repo!, commit.sha));
  });

  gh.route('GET', '/repos/{owner}/{repo}/commits/{ref}/check-runs', (context) => {
    const repo = context.repo!;
    const commit = resolveRef(repo, context.params.ref!);
    if (!commit) return problem(404, 'Not Found');
    const name = context.query.get('check_name');
    const runs = repo.checkRuns
      .filter((r) => r.headSha === commit.sha && (!name || r.name === name))
      .reverse()
      .map((r) => shapes.checkRun(repo, r));
    const page = paginate(context, runs);
    return { ...page, body: { total_count: runs.length, check_runs: page.body } };
  });

  gh.route('GET', '/repos/{owner}/{repo}/actions/runs', (context) => {
    const repo = context.repo!;
    const q = context.query;
    const runs = repo.workflowRuns
      .filter(
        (r) =>
          (!q.get('branch') || r.headBranch === q.get('branch')) &&
          (!q.get('event') || r.event === q.get('event')) &&
          (!q.get('head_sha') || r.headSha === q.get('head_sha')) &&
          (!q.get('status') || r.status === q.get('status') || r.conclusion === q.get('status')),
      )
      .reverse()
      .map((r) => shapes.workflowRun(repo, r));
    const page = paginate(context, runs);
    return { ...page, body: { total_count: runs.length, workflow_runs: page.body } };
  });
}
