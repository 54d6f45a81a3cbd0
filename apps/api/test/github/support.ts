import type { FakeGitHub, FakeRepo } from '@flightdeck/test-kit';
import { expect } from 'vitest';
import type { Gate, GitHubReleaseRules, PromotionPreview } from '@flightdeck/contracts';
import { sql } from '../support/sql.js';
import type { TestApp } from '../support/test-app.js';

export const HOOK_SECRET = "It's a Secret to Everybody";

// Flightdeck connected to the fake GitHub as its GitHub App, with a webhook secret.
export function gitHubEnv(gh: FakeGitHub): Record<string, string> {
  return {
    FLIGHTDECK_GITHUB_API_URL: gh.url,
    FLIGHTDECK_GITHUB_APP_ID: gh.app.id,
    FLIGHTDECK_GITHUB_PRIVATE_KEY: gh.app.privateKey,
    FLIGHTDECK_GITHUB_HOOK_SECRET: HOOK_SECRET,
  };
}

// Points a demo service at a new fake repository and sets its release rules.
export async function serviceOnRepo(
  app: TestApp,
  gh: FakeGitHub,
  slug: string,
  rules: Partial<GitHubReleaseRules>,
  options: { polling?: boolean } = {},
): Promise<FakeRepo> {
  const repo = gh.addRepo('acme', `${slug}-${Date.now().toString(36)}`);
  const patched = await app.admin.patch(`/api/v1/services/${slug}`, {
    repository: { owner: repo.owner, name: repo.name },
    defaultBranch: repo.defaultBranch,
  });
  expect(patched.status).toBe(200);
  const put = await app.admin.put(`/api/v1/services/${slug}/github`, {
    rules: { push: false, workflowRun: false, workflow: null, releasePublished: false, tag: false, ...rules },
    polling: options.polling ?? false,
  });
  expect(put.status, JSON.stringify(put.body)).toBe(200);
  return repo;
}

export interface ReleaseRow {
  version: string;
  commit_sha: string;
  notes: string;
  source: string;
  author: string | null;
  committed_at: Date | null;
}

export async function releasesOf(app: TestApp, slug: string): Promise<ReleaseRow[]> {
  return (await sql(
    app.db.url,
    `SELECT r.version, r.commit_sha, r.notes, r.source::text AS source, r.author, r.committed_at
       FROM releases r JOIN services s ON s.id = r.service_id
      WHERE s.slug = $1 AND r.source IN ('webhook', 'poll') ORDER BY r.created_at`,
    [slug],
  )) as unknown as ReleaseRow[];
}

export async function deliveryState(app: TestApp, deliveryId: string) {
  const rows = await sql(
    app.db.url,
    'SELECT state::text AS state, outcome FROM github_deliveries WHERE delivery_id = $1',
    [deliveryId],
  );
  return rows[0] as { state: string; outcome: string | null } | undefined;
}

export async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > until)
      throw new Error(`condition not met in time; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// The `checks` gate a promotion of the release to the stage would meet (absent when none is required).
export async function checksGateOf(
  app: TestApp,
  stageId: string,
  releaseId: string,
): Promise<Gate | undefined> {
  const { status, body } = await app.get<PromotionPreview>(
    `/api/v1/stages/${stageId}/preview?release=${releaseId}`,
  );
  expect(status).toBe(200);
  return body.gates.find((gate) => gate.kind === 'checks');
}
