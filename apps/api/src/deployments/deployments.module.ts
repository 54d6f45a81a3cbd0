import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { ArgoCdModule } from '../drivers/argocd/argocd.module.js';
import { FreezesModule } from '../freezes/freezes.module.js';
import { DeploymentRequestsService } from './deployment-requests.service.js';
import { DeploymentsController } from './deployments.controller.js';
import { DeploymentsRepository } from './deployments.repository.js';
import { DeploymentsService } from './deployments.service.js';
import { ExternalStatusService } from './external-status.service.js';
import { GateFacts } from './gate-facts.js';
import { PreviewController } from './preview.controller.js';
import { PromotionPreviewService } from './promotion-preview.service.js';
import { RollbackController } from './rollback.controller.js';
import { RollbackService } from './rollback.service.js';
import { DeploymentTransitions } from './transitions.service.js';
import { WorkSignal } from './work-signal.js';

@Module({
  imports: [CatalogModule, FreezesModule, ArgoCdModule],
  controllers: [DeploymentsController, PreviewController, RollbackController],
  providers: [
    DeploymentsRepository,
    DeploymentsService,
    PromotionPreviewService,
    GateFacts,
    DeploymentTransitions,
    DeploymentRequestsService,
    ExternalStatusService,
    WorkSignal,
    RollbackService,
  ],
  exports: [
    RollbackService,
    PromotionPreviewService,
    DeploymentsService,
    GateFacts,
    DeploymentTransitions,
    DeploymentRequestsService,
    ExternalStatusService,
    WorkSignal,
  ],
})
export class DeploymentsModule {}
