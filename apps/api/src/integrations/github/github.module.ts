import { Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { CatalogModule } from '../../catalog/catalog.module.js';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { DeploymentsModule } from '../../deployments/deployments.module.js';
import { LOGGER } from '../../logging/logger.js';
import { Metrics } from '../../metrics/metrics.js';
import { ReleasesModule } from '../../releases/releases.module.js';
import { SingleFlight } from '../../runner/single-flight.js';
import { CommitChecksStore } from './checks-store.js';
import { ChecksWebhookService } from './checks-webhook.service.js';
import { DeploymentMirrorProcessor } from './deployment-mirror.processor.js';
import { DeploymentMirrorRepository } from './deployment-mirror.repository.js';
import { GitHubClientFactory } from './github-client.factory.js';
import { GitHubDeliveriesRepository } from './github-deliveries.repository.js';
import { GitHubDeliveryProcessor } from './github-delivery.processor.js';
import { GitHubPoller } from './github-poller.js';
import { GitHubReleasesService } from './github-releases.service.js';
import { GitHubServicesRepository } from './github-services.repository.js';
import { GitHubSettingsController } from './github-settings.controller.js';
import { GitHubSettingsService } from './github-settings.service.js';
import { GitHubSource } from './github-source.js';
import { GitHubWebhookController } from './github-webhook.controller.js';
import { GitHubWebhookService } from './github-webhook.service.js';

// GitHub: authenticated clients (GitHub App or token), webhooks, polling, each service's rules for
// which events make a release, and the mirror of deployments into GitHub Deployments.
@Module({
  imports: [CatalogModule, ReleasesModule, DeploymentsModule],
  controllers: [GitHubWebhookController, GitHubSettingsController],
  providers: [
    {
      provide: GitHubClientFactory,
      inject: [APP_CONFIG, Metrics, LOGGER],
      useFactory: (config: AppConfig, metrics: Metrics, logger: Logger) =>
        new GitHubClientFactory(config.github, metrics, logger),
    },
    GitHubSource,
    GitHubServicesRepository,
    GitHubDeliveriesRepository,
    CommitChecksStore,
    ChecksWebhookService,
    GitHubReleasesService,
    GitHubDeliveryProcessor,
    GitHubWebhookService,
    GitHubSettingsService,
    GitHubPoller,
    SingleFlight,
    DeploymentMirrorRepository,
    DeploymentMirrorProcessor,
  ],
  exports: [GitHubClientFactory, GitHubSource, CommitChecksStore],
})
export class GitHubModule {}
