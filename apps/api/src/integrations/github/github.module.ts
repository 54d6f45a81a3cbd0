import { Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { LOGGER } from '../../logging/logger.js';
import { Metrics } from '../../metrics/metrics.js';
import { GitHubClientFactory } from './github-client.factory.js';

// GitHub: authenticated clients (GitHub App or token), webhooks, polling.
@Module({
  providers: [
    {
      provide: GitHubClientFactory,
      inject: [APP_CONFIG, Metrics, LOGGER],
      useFactory: (config: AppConfig, metrics: Metrics, logger: Logger) =>
        new GitHubClientFactory(config.github, metrics, logger),
    },
  ],
  exports: [GitHubClientFactory],
})
export class GitHubModule {}
