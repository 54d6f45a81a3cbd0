import { Module } from '@nestjs/common';
import { DeploymentsModule } from '../deployments/deployments.module.js';
import { HooksController } from './hooks.controller.js';
import { HooksRepository } from './hooks.repository.js';
import { WebhookCallbacksService } from './webhook-callbacks.service.js';

@Module({
  imports: [DeploymentsModule],
  controllers: [HooksController],
  providers: [HooksRepository, WebhookCallbacksService],
})
export class HooksModule {}
