import { Module } from '@nestjs/common';
import { DeploymentsModule } from '../deployments/deployments.module.js';
import { ChecklistsController } from './checklists.controller.js';
import { ChecklistsRepository } from './checklists.repository.js';
import { ChecklistsService } from './checklists.service.js';

@Module({
  imports: [DeploymentsModule],
  controllers: [ChecklistsController],
  providers: [ChecklistsRepository, ChecklistsService],
})
export class ChecklistsModule {}
