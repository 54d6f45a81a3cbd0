import { Inject, Injectable } from '@nestjs/common';
import type { AuditActor } from '../../audit/audit.service.js';
import { ReleaseIntakeService } from '../../releases/release-intake.service.js';
import type { ReleaseIntent } from './github-release-rules.js';
import type { GitHubService } from './github-services.repository.js';
import { GitHubSource } from './github-source.js';

export const GITHUB_ACTOR: AuditActor = { type: 'system', id: null, name: 'github' };

export type MakeResult =
  | { readonly state: 'done' | 'ignored'; readonly outcome: string }
  // Not yet: CI on the commit has not finished.
  | { readonly state: 'wait'; readonly outcome: string };

// Turns a release intent (from a webhook or the poller) into a release: waits for green CI where the
// rule asks for it, looks up what a tag points at, and records it once per (service, version).
@Injectable()
export class GitHubReleasesService {
  constructor(
    @Inject(GitHubSource) private readonly source: GitHubSource,
    @Inject(ReleaseIntakeService) private readonly intake: ReleaseIntakeService,
  ) {}

  async make(service: GitHubService, intent: ReleaseIntent, from: 'webhook' | 'poll'): Promise<MakeResult> {
    const label = `${service.slug} ${intent.version}`;
    if (await this.intake.exists(service.id, intent.version))
      return { state: 'done', outcome: `${label} already exists` };
    const repo = { owner: service.owner, repo: service.repo };
    let release: { sha: string; notes: string; author: string | null; committedAt: string | null };
    if (intent.kind === 'commit') {
      if (intent.requireCi) {
        const ci = await this.source.ci(repo, intent.sha);
        if (ci.state === 'failed')
          return { state: 'ignored', outcome: `${label}: CI failed (${ci.failed.join(', ')})` };
        if (ci.state === 'pending')
          return { state: 'wait', outcome: `${label}: waiting for CI (${ci.waitingFor.join(', ')})` };
      }
      release = intent;
    } else {
      const commit = await this.source.commit(repo, intent.tag);
      release = { ...commit, notes: intent.notes };
    }
    const { created } = await this.intake.record(
      {
        serviceId: service.id,
        version: intent.version,
        commitSha: release.sha,
        notes: release.notes,
        source: from,
        author: release.author,
        committedAt: release.committedAt ? new Date(release.committedAt) : null,
      },
      GITHUB_ACTOR,
    );
    return { state: 'done', outcome: created ? `${label} created` : `${label} already exists` };
  }
}
