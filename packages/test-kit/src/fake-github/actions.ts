import { paginate, resolveRef } from './routes.js';
import { type FakeGitHub, type FakeGitHubContext, problem } from './server.js';
import { type FakeRepo, type FakeWorkflowRun, fakeSha } from './state.js';

// GitHub Actions for the github-actions driver. Usage:
//
//   installFakeActions(gh);
//   const wf = fakeWorkflow(repo, { file: 'deploy.yml', inputs: ['environment', 'version', ...],
//     runName: (i) => `Deploy ${i.version} [${i.flightdeck_deployment_id}]` });
//   ...the driver dispatches; wf.runs holds the runs; finishRun(run, 'success') completes one.
//   wf.loseNextDispatchResponse = true   // the run is created but the answer never arrives
//
// Like GitHub: a dispatch of an unknown workflow is a 404, an undeclared input a 422, a ref that does
// not resolve a 422; `return_run_details: true` answers 200 with the run's id, else 204. The run's
// display title is the workflow's `run-name` rendered with the inputs.

export interface FakeWorkflow {
  readonly file: string;
  readonly name: string;
  readonly inputs: readonly string[];
  readonly runName: (inputs: Record<string, unknown>) => string;
  readonly runs: FakeWorkflowRun[];
  // The next dispatch creates its run, then never answers (the client times out).
  loseNextDispatchResponse: boolean;
}

const workflows = new WeakMap<FakeRepo, FakeWorkflow[]>();
const titles = new WeakMap<FakeWorkflowRun, string>();

export function fakeWorkflow(
  repo: FakeRepo,
  options: {
    file: string;
    name?: string;
    inputs?: readonly string[];
    runName?: (inputs: Record<string, unknown>) => string;
  },
): FakeWorkflow {
  const workflow: FakeWorkflow = {
    file: options.file,
    name: options.name ?? options.file.replace(/\.ya?ml$/, ''),
    inputs: options.inputs ?? [],
    runName: options.runName ?? (() => options.name ?? options.file),
    runs: [],
    loseNextDispatchResponse: false,
  };
  workflows.set(repo, [...(workflows.get(repo) ?? []), workflow]);
  return workflow;
}

// Moves a run along as a runner would.
export function advanceRun(
  run: FakeWorkflowRun,
  status: FakeWorkflowRun['status'],
  conclusion: FakeWorkflowRun['conclusion'] = null,
): void {
  run.status = status;
  run.conclusion = conclusion;
  run.updatedAt = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function findWorkflow(repo: FakeRepo, id: string): FakeWorkflow | undefined {
  return workflows.get(repo)?.find((w) => w.file === id || String(fakeWorkflowId(repo, w)) === id);
}

// The id GitHub gives the workflow (FakeRepo.workflowRun derives it from the file's path the same way).
export function fakeWorkflowId(repo: FakeRepo, workflow: FakeWorkflow): number {
  return Number.parseInt(fakeSha(`${repo.fullName}/.github/workflows/${workflow.file}`).slice(0, 7), 16);
}

function renderRun(gh: FakeGitHub, repo: FakeRepo, run: FakeWorkflowRun) {
  const shape = gh.shapes.workflowRun(repo, run);
  return { ...shape, display_title: titles.get(run) ?? shape.display_title };
}

function findRun(repo: FakeRepo, id: string): FakeWorkflowRun | undefined {
  return repo.workflowRuns.find((r) => String(r.id) === id);
}

export function installFakeActions(gh: FakeGitHub): void {
  gh.route('POST', '/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', async (context) => {
    const repo = context.repo!;
    const workflow = findWorkflow(repo, context.params.workflow_id!);
    if (!workflow) return problem(404, 'Not Found');
    const body = (context.body ?? {}) as { ref?: unknown; inputs?: Record<string, unknown> };
    if (typeof body.ref !== 'string') return problem(422, 'Invalid request: "ref" wasn\'t supplied.');
    const commit = resolveRef(repo, body.ref);
    if (!commit) return problem(422, `No ref found for: ${body.ref}`);
    const inputs = body.inputs ?? {};
    const unexpected = Object.keys(inputs).filter((k) => !workflow.inputs.includes(k));
    if (unexpected.length) return problem(422, `Unexpected inputs provided: ${JSON.stringify(unexpected)}`);
    const run = repo.workflowRun({
      name: workflow.name,
      path: `.github/workflows/${workflow.file}`,
      sha: commit.sha,
      branch: repo.branches.has(body.ref) ? body.ref : repo.defaultBranch,
      event: 'workflow_dispatch',
      status: 'queued',
      inputs,
    });
    titles.set(run, workflow.runName(inputs));
    workflow.runs.push(run);
    if (workflow.loseNextDispatchResponse) {
      workflow.loseNextDispatchResponse = false;
      // The run exists; the answer is lost (never sent, until the server closes).
      await new Promise<void>((resolve) => setTimeout(resolve, 60_000).unref());
    }
    if ((context.body as { return_run_details?: unknown }).return_run_details === true) {
      return {
        status: 200,
        body: {
          workflow_run_id: run.id,
          run_url: `${gh.url}/repos/${repo.fullName}/actions/runs/${run.id}`,
          html_url: `${gh.shapes.webUrl}/${repo.fullName}/actions/runs/${run.id}`,
        },
      };
    }
    return { status: 204 };
  });

  gh.route(
    'GET',
    '/repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs',
    (context: FakeGitHubContext) => {
      const repo = context.repo!;
      const workflow = findWorkflow(repo, context.params.workflow_id!);
      if (!workflow) return problem(404, 'Not Found');
      const q = context.query;
      const created = parseCreated(q.get('created'));
      const runs = workflow.runs
        .filter(
          (r) =>
            (!q.get('event') || r.event === q.get('event')) &&
            (!q.get('branch') || r.headBranch === q.get('branch')) &&
            (!created || Date.parse(r.createdAt) >= created),
        )
        .reverse()
        .map((r) => renderRun(gh, repo, r));
      const page = paginate(context, runs);
      return { ...page, body: { total_count: runs.length, workflow_runs: page.body } };
    },
  );

  gh.route('GET', '/repos/{owner}/{repo}/actions/runs/{run_id}', ({ repo, params }) => {
    const run = findRun(repo!, params.run_id!);
    return run ? { status: 200, body: renderRun(gh, repo!, run) } : problem(404, 'Not Found');
  });

  gh.route('POST', '/repos/{owner}/{repo}/actions/runs/{run_id}/cancel', ({ repo, params }) => {
    const run = findRun(repo!, params.run_id!);
    if (!run) return problem(404, 'Not Found');
    if (run.status === 'completed') return problem(409, 'Cannot cancel a workflow run that is completed.');
    advanceRun(run, 'completed', 'cancelled');
    return { status: 202, body: {} };
  });
}

// GitHub's `created` filter: ">=2026-01-01T00:00:00Z" (other forms are not used by Flightdeck).
function parseCreated(value: string | null): number | null {
  const m = value ? /^>=(.+)$/.exec(value) : null;
  if (!m) return null;
  const at = Date.parse(m[1]!);
  return Number.isNaN(at) ? null : at;
}
