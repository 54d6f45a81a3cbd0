import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { DeploymentsModule } from '../deployments/deployments.module.js';
import { ChangelogModule } from '../integrations/github/changelog.module.js';
import { GitHubModule } from '../integrations/github/github.module.js';
import { ApprovalPoliciesController } from './approval-policies.controller.js';
import { ApprovalPoliciesService } from './approval-policies.service.js';
import { ApprovalsController } from './approvals.controller.js';
import { ApprovalsRepository } from './approvals.repository.js';
import { ApprovalsService } from './approvals.service.js';
import { EvidenceController } from './evidence.controller.js';
import { EvidenceRepository } from './evidence.repository.js';
import { EvidenceService } from './evidence.service.js';

@Module({
  imports: [CatalogModule, DeploymentsModule, ChangelogModule, GitHubModule],
  controllers: [ApprovalsController, ApprovalPoliciesController, EvidenceController],
  providers: [
    ApprovalsRepository,
    ApprovalsService,
    ApprovalPoliciesService,
    EvidenceRepository,
    EvidenceService,
  ],
})
export class ApprovalsModule {}
