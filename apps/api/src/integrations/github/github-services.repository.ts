import { Inject, Injectable } from '@nestjs/common';
import { PrismaService, type Tx } from '../../database/prisma.service.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { parseReleaseRules, type ServiceRules } from './github-release-rules.js';

export interface GitHubService extends ServiceRules {
  readonly owner: string;
  readonly repo: string;
  readonly polling: boolean;
}

const select = {
  id: true,
  slug: true,
  repoOwner: true,
  repoName: true,
  defaultBranch: true,
  githubReleaseRules: true,
  githubPolling: true,
} as const;

type Row = Prisma.ServiceGetPayload<{ select: typeof select }>;

function toService(row: Row): GitHubService | null {
  if (!row.repoOwner || !row.repoName) return null;
  return {
    id: row.id,
    slug: row.slug,
    owner: row.repoOwner,
    repo: row.repoName,
    defaultBranch: row.defaultBranch,
    rules: parseReleaseRules(row.githubReleaseRules),
    polling: row.githubPolling,
  };
}

// Services as the GitHub integration sees them: their repository, release rules and polling.
@Injectable()
export class GitHubServicesRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  // Every service built from one repository (a monorepo may hold several); GitHub's names are
  // case-insensitive.
  async forRepository(fullName: string): Promise<GitHubService[]> {
    const [owner, name] = fullName.split('/');
    if (!owner || !name) return [];
    const rows = await this.prisma.service.findMany({
      where: {
        repoOwner: { equals: owner, mode: 'insensitive' },
        repoName: { equals: name, mode: 'insensitive' },
      },
      select,
      orderBy: { slug: 'asc' },
    });
    return rows.map(toService).filter((s): s is GitHubService => s !== null);
  }

  async polling(): Promise<GitHubService[]> {
    const rows = await this.prisma.service.findMany({
      where: { githubPolling: true, repoOwner: { not: null }, repoName: { not: null } },
      select,
      orderBy: { slug: 'asc' },
    });
    return rows.map(toService).filter((s): s is GitHubService => s !== null);
  }

  async settingsOf(serviceId: string, tx: Tx = this.prisma) {
    return tx.service.findUniqueOrThrow({ where: { id: serviceId }, select });
  }

  async updateSettings(
    serviceId: string,
    settings: { rules: Prisma.InputJsonValue; polling: boolean },
    tx: Tx,
  ): Promise<void> {
    await tx.service.update({
      where: { id: serviceId },
      data: { githubReleaseRules: settings.rules, githubPolling: settings.polling },
    });
  }

  async cursor(serviceId: string, resource: string) {
    return this.prisma.gitHubPollCursor.findUnique({
      where: { serviceId_resource: { serviceId, resource } },
    });
  }

  async saveCursor(serviceId: string, resource: string, etag: string | null, lastSeen: string | null) {
    await this.prisma.gitHubPollCursor.upsert({
      where: { serviceId_resource: { serviceId, resource } },
      create: { serviceId, resource, etag, lastSeen },
      update: { etag, lastSeen, checkedAt: new Date() },
    });
  }

  async touchCursor(serviceId: string, resource: string) {
    await this.prisma.gitHubPollCursor.updateMany({
      where: { serviceId, resource },
      data: { checkedAt: new Date() },
    });
  }
}
