import { type GitHubReleaseRules, githubReleaseRulesSchema } from '@flightdeck/contracts';

// Which GitHub events make a release of a service, as a pure function of the event and the service's
// rules, so the webhook path and the poller cannot disagree.

export interface ServiceRules {
  readonly id: string;
  readonly slug: string;
  readonly defaultBranch: string;
  readonly rules: GitHubReleaseRules;
}

export type ReleaseIntent =
  // A commit of the default branch (a push, a successful workflow run).
  | {
      readonly kind: 'commit';
      readonly rule: 'push' | 'workflowRun';
      readonly version: string;
      readonly sha: string;
      readonly notes: string;
      readonly author: string | null;
      readonly committedAt: string | null;
      // Pushes wait for green CI; a successful workflow run is CI.
      readonly requireCi: boolean;
    }
  // A tag (a published release, a pushed tag): the commit is looked up on GitHub.
  | {
      readonly kind: 'tag';
      readonly rule: 'releasePublished' | 'tag';
      readonly version: string;
      readonly tag: string;
      readonly notes: string;
    };

export type Interpretation = { readonly intent: ReleaseIntent } | { readonly ignored: string };

export const SHORT_SHA = 7;
const NO_COMMIT = /^0{40}$/;

export function parseReleaseRules(value: unknown): GitHubReleaseRules {
  const parsed = githubReleaseRulesSchema.safeParse(value ?? {});
  return parsed.success ? parsed.data : githubReleaseRulesSchema.parse({});
}

export function anyRule(rules: GitHubReleaseRules): boolean {
  return rules.push || rules.workflowRun || rules.releasePublished || rules.tag;
}

type Json = Record<string, unknown>;
const obj = (value: unknown): Json => (value && typeof value === 'object' ? (value as Json) : {});
const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

// "owner/name" of the repository an event is about.
export function repositoryOf(payload: unknown): string | null {
  return str(obj(obj(payload).repository).full_name);
}

// A commit whose CI just reported (statuses, check suites and runs, workflow runs).
export function ciCommitOf(event: string, payload: unknown): string | null {
  const p = obj(payload);
  if (event === 'status') return str(p.sha);
  if (event === 'check_suite') return str(obj(p.check_suite).head_sha);
  if (event === 'check_run') return str(obj(p.check_run).head_sha);
  if (event === 'workflow_run') return str(obj(p.workflow_run).head_sha);
  return null;
}

// Webhook payloads carry the head commit's message, author and time as `head_commit`.
function commitIntent(rule: 'push' | 'workflowRun', sha: string, headCommit: unknown): ReleaseIntent {
  const head = obj(headCommit);
  return {
    kind: 'commit',
    rule,
    version: sha.slice(0, SHORT_SHA),
    sha,
    notes: str(head.message) ?? '',
    author: str(obj(head.author).email),
    committedAt: str(head.timestamp),
    requireCi: rule === 'push',
  };
}

function matchesWorkflow(wanted: string | null, run: Json, workflow: Json): boolean {
  if (!wanted) return true;
  const names = [run.name, run.path, workflow.name, workflow.path].filter((n) => typeof n === 'string');
  // The path may carry a ref suffix ("ci.yml@refs/heads/main").
  return names.some((n) => n === wanted || n.replace(/@.*$/, '') === wanted);
}

export function interpret(event: string, payload: unknown, service: ServiceRules): Interpretation {
  const p = obj(payload);
  const rules = service.rules;
  if (event === 'push') {
    if (!rules.push) return { ignored: 'pushes do not make releases of this service' };
    if (p.ref !== `refs/heads/${service.defaultBranch}`)
      return { ignored: `a push to ${String(p.ref)}, not to ${service.defaultBranch}` };
    const sha = str(p.after);
    if (p.deleted === true || !sha || NO_COMMIT.test(sha)) return { ignored: 'the branch was deleted' };
    // Pushes wait for green CI; a successful workflow run is CI.
    return { intent: commitIntent('push', sha, p.head_commit) };
  }
  if (event === 'workflow_run') {
    const run = obj(p.workflow_run);
    if (!rules.workflowRun) return { ignored: 'workflow runs do not make releases of this service' };
    if (p.action !== 'completed') return { ignored: `workflow run ${String(p.action)}` };
    if (run.conclusion !== 'success') return { ignored: `workflow run ended ${String(run.conclusion)}` };
    if (run.head_branch !== service.defaultBranch)
      return { ignored: `a workflow run on ${String(run.head_branch)}, not on ${service.defaultBranch}` };
    if (!matchesWorkflow(rules.workflow, run, obj(p.workflow)))
      return { ignored: `workflow ${String(run.name)} is not ${rules.workflow}` };
    const sha = str(run.head_sha);
    if (!sha) return { ignored: 'the workflow run names no commit' };
    return { intent: commitIntent('workflowRun', sha, run.head_commit) };
  }
  if (event === 'release') {
    const release = obj(p.release);
    if (!rules.releasePublished) return { ignored: 'GitHub releases do not make releases of this service' };
    if (p.action !== 'published') return { ignored: `release ${String(p.action)}` };
    const tag = str(release.tag_name);
    if (!tag || release.draft === true) return { ignored: 'a draft release' };
    return {
      intent: { kind: 'tag', rule: 'releasePublished', version: tag, tag, notes: str(release.body) ?? '' },
    };
  }
  if (event === 'create') {
    if (p.ref_type !== 'tag') return { ignored: `a new ${String(p.ref_type)}` };
    if (!rules.tag) return { ignored: 'tags do not make releases of this service' };
    const tag = str(p.ref);
    if (!tag) return { ignored: 'the tag has no name' };
    return { intent: { kind: 'tag', rule: 'tag', version: tag, tag, notes: '' } };
  }
  return { ignored: `${event} events do not make releases` };
}
