import { type DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TerminusModule } from '@nestjs/terminus';
import type { Logger } from 'pino';
import { ApprovalsModule } from './approvals/approvals.module.js';
import { AuditModule } from './audit/audit.module.js';
import { BoardModule } from './board/board.module.js';
import { CatalogModule } from './catalog/catalog.module.js';
import { ChecklistsModule } from './checklists/checklists.module.js';
import { APP_CONFIG, type AppConfig } from './config/config.js';
import { PgListener } from './database/pg-listener.js';
import { DATABASE_CONNECTION, type DatabaseConnection, PrismaService } from './database/prisma.service.js';
import { DeliveryMetricsModule } from './delivery-metrics/delivery-metrics.module.js';
import { DemoModule } from './demo/demo.module.js';
import { ArgoCdModule } from './drivers/argocd/argocd.module.js';
import { DeploymentsModule } from './deployments/deployments.module.js';
import { EventsModule } from './events/events.module.js';
import { FreezesModule } from './freezes/freezes.module.js';
import { HealthController } from './health/health.controller.js';
import { Readiness } from './health/readiness.js';
import { HooksModule } from './hooks/hooks.module.js';
import { ChangelogModule } from './integrations/github/changelog.module.js';
import { ChecksModule } from './integrations/github/checks.module.js';
import { GitHubModule } from './integrations/github/github.module.js';
import { IdempotencyModule } from './idempotency/idempotency.module.js';
import { IdentityModule } from './identity/identity.module.js';
import { IncidentsModule } from './incidents/incidents.module.js';
import { OidcModule } from './identity/oidc/oidc.module.js';
import { InstanceController } from './instance/instance.controller.js';
import { LocksModule } from './locks/locks.module.js';
import { LOGGER } from './logging/logger.js';
import { Metrics } from './metrics/metrics.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { NotificationsModule } from './notifications/notifications.module.js';
import { OpenApiModule } from './openapi/openapi.module.js';
import { ReleasesModule } from './releases/releases.module.js';
import { RunnerModule } from './runner/runner.module.js';
import { SecretsModule } from './secrets/secrets.module.js';
import { StagesModule } from './stages/stages.module.js';
import { TrainsModule } from './trains/trains.module.js';
import { VerificationModule } from './verification/verification.module.js';
import { WindowsModule } from './windows/windows.module.js';

export interface AppModuleOptions {
  config: AppConfig;
  connection: DatabaseConnection;
  logger: Logger;
  metrics: Metrics;
}

@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        TerminusModule.forRoot({ logger: false }),
        ScheduleModule.forRoot(),
        AuditModule,
        SecretsModule,
        EventsModule,
        IdempotencyModule,
        IdentityModule,
        OidcModule,
        CatalogModule,
        ReleasesModule,
        DeploymentsModule,
        ApprovalsModule,
        ChecklistsModule,
        BoardModule,
        DeliveryMetricsModule,
        OpenApiModule,
        DemoModule,
        LocksModule,
        FreezesModule,
        StagesModule,
        HooksModule,
        RunnerModule,
        TrainsModule,
        VerificationModule,
        WindowsModule,
        IncidentsModule,
        ArgoCdModule,
        GitHubModule,
        ChangelogModule,
        ChecksModule,
        NotificationsModule,
      ],
      controllers: [HealthController, MetricsController, InstanceController],
      providers: [
        { provide: APP_CONFIG, useValue: options.config },
        { provide: LOGGER, useValue: options.logger },
        { provide: Metrics, useValue: options.metrics },
        { provide: DATABASE_CONNECTION, useValue: options.connection },
        { provide: PrismaService, useFactory: () => new PrismaService(options.connection) },
        // The process's one LISTEN connection, shared by live events and the board cache.
        PgListener,
        Readiness,
      ],
      exports: [APP_CONFIG, LOGGER, Metrics, DATABASE_CONNECTION, PrismaService, PgListener],
    };
  }
}
