import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { FreezesModule } from '../freezes/freezes.module.js';
import { DeploymentsController } from './deployments.controller.js';
import { DeploymentsRepository } from './deployments.repository.js';
import { DeploymentsService } from './deployments.service.js';
import { PreviewController } from './preview.controller.js';
import { PromotionPreviewService } from './promotion-preview.service.js';

@Module({
  imports: [CatalogModule, FreezesModule],
  controllers: [DeploymentsController, PreviewController],
  providers: [DeploymentsRepository, DeploymentsService, PromotionPreviewService],
  exports: [DeploymentsService],
})
export class DeploymentsModule {}
