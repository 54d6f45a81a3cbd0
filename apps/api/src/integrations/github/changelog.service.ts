import { Inject, Injectable } from '@nestjs/common';
import type { Changelog, ChangelogCommit, ChangelogPullRequest } from '@flightdeck/contracts';
import { NotFoundError, ValidationError } from '../../common/errors.js';
import { PrismaService } from '../../database/prisma.service.js';
import { type GitHubClients, GitHubClientFactory, gitHubFailure } from './github-client.factory.js';

// Commits listed per changelog; GitHub's compare lists at most 250 anyway.
const MAX_COMMITS = 100;
// Commits looked up for their pull requests (one request each), a few at a time.
const MAX_PR_LOOKUPS = 50;
const PR_CONCURRENCY = 5;
// Compares of two commits never change: keep the last few hundred.
const CACHE_SIZE = 500;

type Available = Extract<Changelog, { available: true }>;

export interface ChangelogRange {
  readonly owner: string;
  readonly repo: string;
  readonly baseSha: string;
  readonly headSha: string;
}

// "What changes": GitHub's compare between the commit running on a stage and a candidate's, with the
// pull requests those commits came from. Used by the promotion dialog and the approval evidence.
@Injectable()
export class ChangelogService {
  private readonly cache = new Map<string, Available>();

  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(GitHubClientFactory) private readonly github: GitHubClientFactory,
  ) {}

  async forStage(stageId: string, releaseId: string): Promise<Changelog> {
    const stage = await this.prisma.stage.findUnique({
      where: { id: stageId },
      select: {
        serviceId: true,
        environment: { select: { slug: true } },
        service: { select: { slug: true, repoOwner: true, repoName: true } },
        state: { select: { currentRelease: { select: { commitSha: true } } } },
      },
    });
    if (!stage) throw new NotFoundError('STAGE_NOT_FOUND', `No stage with id "${stageId}"`);
    const release = await this.prisma.release.findUnique({
      where: { id: releaseId },
      select: { serviceId: true, commitSha: true },
    });
    if (!release) throw new NotFoundError('RELEASE_NOT_FOUND', `No release with id "${releaseId}"`);
    if (release.serviceId !== stage.serviceId) {
      throw new ValidationError(
        'RELEASE_OF_ANOTHER_SERVICE',
        `That release is not one of ${stage.service.slug}`,
        {
          issues: [{ field: 'release', message: `not a release of ${stage.service.slug}` }],
        },
      );
    }
    const { repoOwner, repoName } = stage.service;
    if (!repoOwner || !repoName) {
      return { available: false, reason: `${stage.service.slug} has no GitHub repository` };
    }
    const base = stage.state?.currentRelease?.commitSha;
    if (!base) {
      return {
        available: false,
        reason: `Nothing runs on ${stage.environment.slug} yet: there is no commit to compare with`,
      };
    }
    return this.between({ owner: repoOwner, repo: repoName, baseSha: base, headSha: release.commitSha });
  }

  // Never throws for GitHub's sake: an unreachable or unconfigured GitHub is a reason, not an error.
  async between(range: ChangelogRange): Promise<Changelog> {
    if (!this.github.configured) {
      return { available: false, reason: 'GitHub is not configured' };
    }
    const key = `${range.owner}/${range.repo}`.toLowerCase() + `:${range.baseSha}...${range.headSha}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    try {
      const gh = await this.github.forRepository(range);
      const changelog = await this.load(gh, range);
      this.remember(key, changelog);
      return changelog;
    } catch (error) {
      return { available: false, reason: `Changes unavailable: ${gitHubFailure(error)}` };
    }
  }

  private async load(gh: GitHubClients, range: ChangelogRange): Promise<Available> {
    const repository = `${range.owner}/${range.repo}`;
    if (range.baseSha === range.headSha) {
      return {
        available: true,
        repository,
        baseSha: range.baseSha,
        headSha: range.headSha,
        direction: 'none',
        compareUrl: '',
        commits: [],
        moreCommits: 0,
        pullRequests: [],
        pullRequestsComplete: true,
      };
    }
    let direction: Available['direction'] = 'forward';
    let compare = await this.compare(gh, range, range.baseSha, range.headSha);
    // A rollback: the candidate is behind what runs, so list the commits it takes away.
    if (compare.status === 'behind') {
      direction = 'backward';
      compare = await this.compare(gh, range, range.headSha, range.baseSha);
    }
    const listed = compare.commits.slice(-MAX_COMMITS).reverse();
    const commits: ChangelogCommit[] = listed.map((c) => ({
      sha: c.sha,
      title: c.commit.message.split('\n')[0] ?? '',
      author: c.author?.login ?? c.commit.author?.name ?? 'unknown',
      authorLogin: c.author?.login ?? null,
      date: c.commit.author?.date ?? null,
      url: c.html_url,
    }));
    const { pullRequests, complete } = await this.pullRequests(gh, range, commits);
    return {
      available: true,
      repository,
      baseSha: range.baseSha,
      headSha: range.headSha,
      direction,
      compareUrl: compare.html_url,
      commits,
      moreCommits: Math.max(0, compare.total_commits - commits.length),
      pullRequests,
      pullRequestsComplete: complete && compare.total_commits <= commits.length,
    };
  }

  private async compare(gh: GitHubClients, range: ChangelogRange, base: string, head: string) {
    const { data } = await gh.idempotent.request('GET /repos/{owner}/{repo}/compare/{basehead}', {
      owner: range.owner,
      repo: range.repo,
      basehead: `${base}...${head}`,
      per_page: 100,
    });
    return data;
  }

  // The pull requests the newest commits were merged with, newest first, each once.
  private async pullRequests(
    gh: GitHubClients,
    range: ChangelogRange,
    commits: readonly ChangelogCommit[],
  ): Promise<{ pullRequests: ChangelogPullRequest[]; complete: boolean }> {
    const looked = commits.slice(0, MAX_PR_LOOKUPS);
    const found: ChangelogPullRequest[][] = looked.map(() => []);
    let next = 0;
    const worker = async () => {
      while (next < looked.length) {
        const index = next++;
        const { data } = await gh.idempotent.request('GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls', {
          owner: range.owner,
          repo: range.repo,
          commit_sha: looked[index]!.sha,
        });
        found[index] = data.map((pr) => ({
          number: pr.number,
          title: pr.title,
          author: pr.user?.login ?? null,
          url: pr.html_url,
        }));
      }
    };
    await Promise.all(Array.from({ length: Math.min(PR_CONCURRENCY, looked.length) }, worker));
    const seen = new Set<number>();
    const pullRequests = found.flat().filter((pr) => !seen.has(pr.number) && seen.add(pr.number));
    return { pullRequests, complete: looked.length === commits.length };
  }

  private remember(key: string, changelog: Available): void {
    if (this.cache.size >= CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, changelog);
  }
}
