import { createHmac, randomUUID } from 'node:crypto';
import type { FakeGitHub } from './server.js';
import type {
  FakeCheckRun,
  FakeCommit,
  FakeCommitStatus,
  FakeRelease,
  FakeRepo,
  FakeWorkflowRun,
} from './state.js';

// Webhook deliveries as GitHub sends them: JSON body, X-GitHub-Event, X-GitHub-Delivery (a GUID),
// X-Hub-Signature-256 (HMAC-SHA256 of the exact body bytes under the webhook's secret).

export function signWebhookBody(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export interface WebhookDelivery {
  readonly id: string;
  readonly event: string;
  readonly body: string;
  readonly headers: Record<string, string>;
}

// Headers and body of one delivery; `signature` overrides the computed one (to send a bad one).
export function webhookDelivery(
  secret: string | null,
  event: string,
  payload: unknown,
  options: { id?: string; signature?: string | null } = {},
): WebhookDelivery {
  const id = options.id ?? randomUUID();
  const body = JSON.stringify(payload);
  const signature =
    options.signature === undefined ? (secret ? signWebhookBody(secret, body) : null) : options.signature;
  return {
    id,
    event,
    body,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/fake',
      'x-github-event': event,
      'x-github-delivery': id,
      'x-github-hook-id': '1',
      'x-github-hook-installation-target-type': 'integration',
      ...(signature ? { 'x-hub-signature-256': signature } : {}),
    },
  };
}

// POSTs a delivery to `url` like GitHub (which gives up after 10 seconds).
export async function deliverWebhook(
  url: string,
  delivery: WebhookDelivery,
): Promise<{ status: number; body: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: delivery.headers,
    body: delivery.body,
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, body: await response.text() };
}

// Payloads of the events Flightdeck listens to, from the fake's state.
export class FakeGitHubPayloads {
  constructor(private readonly gh: FakeGitHub) {}

  private repository(repo: FakeRepo) {
    return { ...this.gh.shapes.minimalRepository(repo), default_branch: repo.defaultBranch };
  }

  private installation(repo: FakeRepo) {
    const installation = this.gh.installations.get(repo.owner.toLowerCase());
    return installation ? { installation: { id: installation.id, node_id: `MDIn${installation.id}` } } : {};
  }

  private commit(repo: FakeRepo, commit: FakeCommit) {
    return {
      id: commit.sha,
      tree_id: commit.sha,
      distinct: true,
      message: commit.message,
      timestamp: commit.date,
      url: `${this.gh.shapes.webUrl}/${repo.fullName}/commit/${commit.sha}`,
      author: { name: commit.author.name, email: commit.author.email, username: commit.author.login },
      committer: { name: commit.author.name, email: commit.author.email, username: commit.author.login },
      added: [],
      removed: [],
      modified: [],
    };
  }

  // A push of `branch` (default: the default branch) to its current head, from `before`.
  push(repo: FakeRepo, options: { branch?: string; before?: string } = {}) {
    const branch = options.branch ?? repo.defaultBranch;
    const head = repo.head(branch);
    return {
      ref: `refs/heads/${branch}`,
      before: options.before ?? head.parents[0] ?? '0'.repeat(40),
      after: head.sha,
      created: false,
      deleted: false,
      forced: false,
      base_ref: null,
      compare: `${this.gh.shapes.webUrl}/${repo.fullName}/compare/${(options.before ?? head.parents[0] ?? '').slice(0, 12)}...${head.sha.slice(0, 12)}`,
      commits: [this.commit(repo, head)],
      head_commit: this.commit(repo, head),
      repository: this.repository(repo),
      pusher: { name: head.author.login ?? head.author.name, email: head.author.email },
      sender: this.gh.shapes.user(head.author.login ?? 'octocat'),
      ...this.installation(repo),
    };
  }

  // A tag pushed (the `create` event with ref_type tag).
  tagCreated(repo: FakeRepo, tag: string) {
    return {
      ref: tag,
      ref_type: 'tag',
      master_branch: repo.defaultBranch,
      description: null,
      pusher_type: 'user',
      repository: this.repository(repo),
      sender: this.gh.shapes.user('octocat'),
      ...this.installation(repo),
    };
  }

  release(repo: FakeRepo, release: FakeRelease, action: 'published' | 'created' | 'released' = 'published') {
    return {
      action,
      release: this.gh.shapes.release(repo, release),
      repository: this.repository(repo),
      sender: this.gh.shapes.user(release.author),
      ...this.installation(repo),
    };
  }

  // A check run created, changed or completed (the run as it is now, or as given).
  checkRun(
    repo: FakeRepo,
    run: FakeCheckRun,
    action: 'created' | 'completed' | 'rerequested' = run.status === 'completed' ? 'completed' : 'created',
  ) {
    return {
      action,
      check_run: this.gh.shapes.checkRun(repo, run),
      repository: this.repository(repo),
      sender: this.gh.shapes.user('octocat'),
      ...this.installation(repo),
    };
  }

  // A check suite of `sha` requested or completed (it names none of its runs).
  checkSuite(
    repo: FakeRepo,
    sha: string,
    action: 'completed' | 'requested' | 'rerequested' = 'completed',
    conclusion: FakeCheckRun['conclusion'] = 'success',
  ) {
    const id = Number.parseInt(sha.slice(0, 7), 16);
    return {
      action,
      check_suite: {
        id,
        node_id: `CS_${id}`,
        head_branch: repo.defaultBranch,
        head_sha: sha,
        status: action === 'completed' ? 'completed' : 'queued',
        conclusion: action === 'completed' ? conclusion : null,
        url: `${this.gh.shapes.apiUrl}/repos/${repo.fullName}/check-suites/${id}`,
        before: null,
        after: sha,
        pull_requests: [],
        app: null,
        created_at: new Date().toISOString(),
        updated_at: new Date().toISOString(),
      },
      repository: this.repository(repo),
      sender: this.gh.shapes.user('octocat'),
      ...this.installation(repo),
    };
  }

  // A commit status set (`status` defaults to the latest of that context on the commit).
  status(repo: FakeRepo, sha: string, context: string, status?: FakeCommitStatus) {
    const latest = status ?? [...(repo.statuses.get(sha) ?? [])].reverse().find((s) => s.context === context);
    if (!latest) throw new Error(`fake GitHub: no status ${context} on ${sha}`);
    return {
      id: latest.id,
      sha,
      name: repo.fullName,
      target_url: latest.targetUrl,
      avatar_url: null,
      context: latest.context,
      description: latest.description,
      state: latest.state,
      branches: [],
      created_at: latest.createdAt,
      updated_at: latest.createdAt,
      repository: this.repository(repo),
      sender: this.gh.shapes.user('octocat'),
      ...this.installation(repo),
    };
  }

  workflowRun(
    repo: FakeRepo,
    run: FakeWorkflowRun,
    action: 'completed' | 'requested' | 'in_progress' = 'completed',
  ) {
    return {
      action,
      workflow_run: this.gh.shapes.workflowRun(repo, run),
      workflow: { id: run.workflowId, name: run.name, path: run.path, state: 'active' },
      repository: this.repository(repo),
      sender: this.gh.shapes.user('octocat'),
      ...this.installation(repo),
    };
  }
}
