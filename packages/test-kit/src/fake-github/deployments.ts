import { paginate, resolveRef } from './routes.js';
import { type FakeGitHub, type FakeGitHubAnswer, problem } from './server.js';
import { type FakeRepo, nextFakeId } from './state.js';

// GitHub Deployments (installed with the built-in routes). Usage:
//
//   fakeDeployments(repo)                 // what was created, oldest first, each with its statuses
//   gh.fault({ kind: 'lostResponse' }, { method: 'POST', path: /\/deployments$/ })  // created, answer lost
//
// Like GitHub: `ref` must resolve (422 otherwise); without `required_contexts` every commit status
// context must be green (409 otherwise); `auto_merge` (default true) is refused with 409 when the ref is
// behind the default branch, since the fake cannot merge; a status needs a known state and a description
// of at most 140 characters (422); `auto_inactive` (default true) marks earlier successful deployments
// to the same non-production environment inactive; lists are newest first.

export type FakeDeploymentState =
  'error' | 'failure' | 'inactive' | 'in_progress' | 'queued' | 'pending' | 'success';

export interface FakeDeploymentStatus {
  readonly id: number;
  readonly state: FakeDeploymentState;
  readonly description: string;
  readonly environment: string;
  readonly logUrl: string;
  readonly environmentUrl: string;
  readonly createdAt: string;
}

export interface FakeDeployment {
  readonly id: number;
  readonly sha: string;
  readonly ref: string;
  readonly task: string;
  readonly environment: string;
  readonly description: string | null;
  readonly payload: unknown;
  readonly productionEnvironment: boolean;
  readonly transientEnvironment: boolean;
  readonly createdAt: string;
  readonly statuses: FakeDeploymentStatus[];
}

const STATES: readonly FakeDeploymentState[] = [
  'error',
  'failure',
  'inactive',
  'in_progress',
  'queued',
  'pending',
  'success',
];

// GitHub's 422 for these routes ("validation-error"): a message and a documentation link.
function validationFailed(message: string): FakeGitHubAnswer {
  return {
    status: 422,
    body: { message, documentation_url: 'https://docs.github.com/rest/deployments/deployments' },
  };
}

const store = new WeakMap<FakeRepo, FakeDeployment[]>();

export function fakeDeployments(repo: FakeRepo): FakeDeployment[] {
  let list = store.get(repo);
  if (!list) {
    list = [];
    store.set(repo, list);
  }
  return list;
}

const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

function renderDeployment(gh: FakeGitHub, repo: FakeRepo, d: FakeDeployment) {
  const repositoryUrl = `${gh.url}/repos/${repo.fullName}`;
  const url = `${repositoryUrl}/deployments/${d.id}`;
  const updated = d.statuses.at(-1)?.createdAt ?? d.createdAt;
  return {
    url,
    id: d.id,
    node_id: `DE_${d.id}`,
    sha: d.sha,
    ref: d.ref,
    task: d.task,
    payload: d.payload,
    original_environment: d.environment,
    environment: d.environment,
    description: d.description,
    creator: gh.shapes.user(`${gh.app.slug}[bot]`, 'Bot'),
    created_at: d.createdAt,
    updated_at: updated,
    statuses_url: `${url}/statuses`,
    repository_url: repositoryUrl,
    transient_environment: d.transientEnvironment,
    production_environment: d.productionEnvironment,
    performed_via_github_app: null,
  };
}

function renderStatus(gh: FakeGitHub, repo: FakeRepo, d: FakeDeployment, s: FakeDeploymentStatus) {
  const repositoryUrl = `${gh.url}/repos/${repo.fullName}`;
  const deploymentUrl = `${repositoryUrl}/deployments/${d.id}`;
  return {
    url: `${deploymentUrl}/statuses/${s.id}`,
    id: s.id,
    node_id: `DES_${s.id}`,
    state: s.state,
    creator: gh.shapes.user(`${gh.app.slug}[bot]`, 'Bot'),
    description: s.description,
    environment: s.environment,
    target_url: s.logUrl,
    created_at: s.createdAt,
    updated_at: s.createdAt,
    deployment_url: deploymentUrl,
    repository_url: repositoryUrl,
    environment_url: s.environmentUrl,
    log_url: s.logUrl,
    performed_via_github_app: null,
  };
}

function findDeployment(repo: FakeRepo, id: string): FakeDeployment | undefined {
  return fakeDeployments(repo).find((d) => String(d.id) === id);
}

// Commit status contexts whose latest state is not success (GitHub's check before a deployment).
function unfinishedContexts(repo: FakeRepo, sha: string): string[] {
  const latest = new Map<string, string>();
  for (const status of repo.statuses.get(sha) ?? []) latest.set(status.context, status.state);
  return [...latest].filter(([, state]) => state !== 'success').map(([context]) => context);
}

interface CreateBody {
  ref?: unknown;
  task?: unknown;
  auto_merge?: unknown;
  required_contexts?: unknown;
  payload?: unknown;
  environment?: unknown;
  description?: unknown;
  transient_environment?: unknown;
  production_environment?: unknown;
}

interface StatusBody {
  state?: unknown;
  description?: unknown;
  log_url?: unknown;
  target_url?: unknown;
  environment_url?: unknown;
  environment?: unknown;
  auto_inactive?: unknown;
}

function create(gh: FakeGitHub, repo: FakeRepo, body: CreateBody): FakeGitHubAnswer {
  if (typeof body.ref !== 'string') return validationFailed('Invalid request.\n\n"ref" wasn\'t supplied.');
  const commit = resolveRef(repo, body.ref);
  if (!commit) return validationFailed(`No ref found for: ${body.ref}`);
  const head = repo.branches.get(repo.defaultBranch);
  if (body.auto_merge !== false && head && head !== commit.sha)
    return problem(409, `Conflict merging ${repo.defaultBranch} into ${body.ref}.`);
  if (!Array.isArray(body.required_contexts)) {
    const failing = unfinishedContexts(repo, commit.sha);
    if (failing.length) return problem(409, `Conflict: Commit status checks failed for ${body.ref}.`);
  }
  const environment = typeof body.environment === 'string' ? body.environment : 'production';
  const deployment: FakeDeployment = {
    id: nextFakeId(),
    sha: commit.sha,
    ref: body.ref,
    task: typeof body.task === 'string' ? body.task : 'deploy',
    environment,
    description: typeof body.description === 'string' ? body.description : '',
    payload: body.payload ?? {},
    productionEnvironment:
      typeof body.production_environment === 'boolean'
        ? body.production_environment
        : environment === 'production',
    transientEnvironment: body.transient_environment === true,
    createdAt: now(),
    statuses: [],
  };
  fakeDeployments(repo).push(deployment);
  return { status: 201, body: renderDeployment(gh, repo, deployment) };
}

function addStatus(gh: FakeGitHub, repo: FakeRepo, d: FakeDeployment, body: StatusBody): FakeGitHubAnswer {
  if (typeof body.state !== 'string' || !STATES.includes(body.state as FakeDeploymentState))
    return validationFailed('Validation Failed: state is not included in the list');
  const description = typeof body.description === 'string' ? body.description : '';
  if (description.length > 140)
    return validationFailed('Validation Failed: description is too long (maximum is 140 characters)');
  const logUrl =
    typeof body.log_url === 'string'
      ? body.log_url
      : typeof body.target_url === 'string'
        ? body.target_url
        : '';
  const status: FakeDeploymentStatus = {
    id: nextFakeId(),
    state: body.state as FakeDeploymentState,
    description,
    environment: typeof body.environment === 'string' ? body.environment : d.environment,
    logUrl,
    environmentUrl: typeof body.environment_url === 'string' ? body.environment_url : '',
    createdAt: now(),
  };
  d.statuses.push(status);
  if (status.state === 'success' && body.auto_inactive !== false) {
    for (const other of fakeDeployments(repo)) {
      if (other === d || other.environment !== d.environment) continue;
      if (other.transientEnvironment || other.productionEnvironment) continue;
      if (other.statuses.at(-1)?.state !== 'success') continue;
      other.statuses.push({
        ...other.statuses.at(-1)!,
        id: nextFakeId(),
        state: 'inactive',
        description: '',
        createdAt: now(),
      });
    }
  }
  return { status: 201, body: renderStatus(gh, repo, d, status) };
}

export function installFakeDeployments(gh: FakeGitHub): void {
  gh.route('POST', '/repos/{owner}/{repo}/deployments', ({ repo, body }) => create(gh, repo!, body ?? {}));

  gh.route('GET', '/repos/{owner}/{repo}/deployments', (context) => {
    const repo = context.repo!;
    const q = context.query;
    const list = fakeDeployments(repo)
      .filter(
        (d) =>
          (!q.get('sha') || d.sha === q.get('sha')) &&
          (!q.get('ref') || d.ref === q.get('ref')) &&
          (!q.get('task') || d.task === q.get('task')) &&
          (!q.get('environment') || d.environment === q.get('environment')),
      )
      .reverse()
      .map((d) => renderDeployment(gh, repo, d));
    return paginate(context, list);
  });

  gh.route('GET', '/repos/{owner}/{repo}/deployments/{deployment_id}', ({ repo, params }) => {
    const d = findDeployment(repo!, params.deployment_id!);
    return d ? { status: 200, body: renderDeployment(gh, repo!, d) } : problem(404, 'Not Found');
  });

  gh.route('POST', '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses', ({ repo, params, body }) => {
    const d = findDeployment(repo!, params.deployment_id!);
    if (!d) return problem(404, 'Not Found');
    return addStatus(gh, repo!, d, body ?? {});
  });

  gh.route('GET', '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses', (context) => {
    const repo = context.repo!;
    const d = findDeployment(repo, context.params.deployment_id!);
    if (!d) return problem(404, 'Not Found');
    return paginate(
      context,
      [...d.statuses].reverse().map((s) => renderStatus(gh, repo, d, s)),
    );
  });
}
