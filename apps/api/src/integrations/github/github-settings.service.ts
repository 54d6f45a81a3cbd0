import { Inject, Injectable } from '@nestjs/common';
import type { GitHubReleaseRules, ServiceGitHub } from '@flightdeck/contracts';
import { AuditService, type RequestMeta } from '../../audit/audit.service.js';
import { CatalogService } from '../../catalog/catalog.service.js';
import { ConflictError } from '../../common/errors.js';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { PrismaService } from '../../database/prisma.service.js';
import { LiveEvents } from '../../events/live-events.service.js';
import { AuthzService } from '../../identity/authz.service.js';
import { actorOf, type Principal } from '../../identity/principal.js';
import { GitHubDeliveriesRepository } from './github-deliveries.repository.js';
import { anyRule, parseReleaseRules } from './github-release-rules.js';
import { GitHubServicesRepository } from './github-services.repository.js';

const WEBHOOK_PATH = '/api/v1/integrations/github/webhook';

// A service's GitHub settings: which events make its releases, and whether to poll its repository.
@Injectable()
export class GitHubSettingsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CatalogService) private readonly catalog: CatalogService,
    @Inject(AuthzService) private readonly authz: AuthzService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(LiveEvents) private readonly events: LiveEvents,
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(GitHubServicesRepository) private readonly services: GitHubServicesRepository,
    @Inject(GitHubDeliveriesRepository) private readonly deliveries: GitHubDeliveriesRepository,
  ) {}

  async get(slug: string): Promise<ServiceGitHub> {
    const service = await this.catalog.requireService(slug);
    return this.view(service.id);
  }

  async put(
    principal: Principal,
    slug: string,
    input: { rules: GitHubReleaseRules; polling: boolean },
    meta: RequestMeta,
  ): Promise<ServiceGitHub> {
    const service = await this.catalog.requireService(slug);
    await this.authz.assertOnService(
      principal,
      'catalog:write',
      { service, type: 'service', id: service.id },
      meta,
    );
    if ((anyRule(input.rules) || input.polling) && (!service.repoOwner || !service.repoName))
      throw new ConflictError(
        'SERVICE_HAS_NO_REPOSITORY',
        `${slug} names no GitHub repository: set one before choosing which events make releases`,
        { field: 'repository' },
      );
    await this.prisma.$transaction(async (tx) => {
      const before = await this.services.settingsOf(service.id, tx);
      await this.services.updateSettings(service.id, { rules: input.rules, polling: input.polling }, tx);
      await this.audit.record(tx, {
        actor: actorOf(principal),
        action: 'service.github.update',
        outcome: 'success',
        target: { type: 'service', id: service.id },
        request: meta,
        before: { rules: parseReleaseRules(before.githubReleaseRules), polling: before.githubPolling },
        after: input,
      });
    });
    await this.events.publish({ type: 'service.updated', serviceSlug: slug, at: new Date().toISOString() });
    return this.view(service.id);
  }

  private async view(serviceId: string): Promise<ServiceGitHub> {
    const row = await this.services.settingsOf(serviceId);
    const repository = row.repoOwner && row.repoName ? { owner: row.repoOwner, name: row.repoName } : null;
    const recent = repository
      ? await this.deliveries.recentForRepository(`${repository.owner}/${repository.name}`)
      : [];
    return {
      serviceSlug: row.slug,
      repository,
      defaultBranch: row.defaultBranch,
      rules: parseReleaseRules(row.githubReleaseRules),
      polling: row.githubPolling,
      connection: {
        apiConfigured: this.config.github.auth !== null,
        webhooksConfigured: this.config.github.webhookSecret !== null,
        webhookPath: WEBHOOK_PATH,
      },
      recentDeliveries: recent.map((d) => ({
        deliveryId: d.deliveryId,
        event: d.event,
        action: d.action,
        state: d.state,
        outcome: d.outcome,
        receivedAt: d.receivedAt.toISOString(),
      })),
    };
  }
}
