import { Module } from '@nestjs/common';
import { ArgoCdDriver } from './argocd/argocd.driver.js';
import { DEPLOY_DRIVERS, type DeployDriver } from './driver.js';
import { DriverRegistry } from './driver-registry.js';
import { GitHubActionsDriver } from './github-actions/github-actions.driver.js';
import { GitHubModule } from '../integrations/github/github.module.js';
import { RecordDriver } from './record.driver.js';
import { SandboxDriver } from './sandbox.driver.js';
import { WebhookDriver } from './webhook/webhook.driver.js';

const DRIVERS = [SandboxDriver, RecordDriver, WebhookDriver, ArgoCdDriver, GitHubActionsDriver] as const;

@Module({
  imports: [GitHubModule],
  providers: [
    ...DRIVERS,
    {
      provide: DEPLOY_DRIVERS,
      inject: [...DRIVERS],
      useFactory: (...drivers: DeployDriver[]) => drivers,
    },
    DriverRegistry,
  ],
  exports: [DriverRegistry],
})
export class DriversModule {}
