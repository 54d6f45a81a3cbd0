import { Module } from '@nestjs/common';
import { DeploymentsModule } from '../deployments/deployments.module.js';
import { IncidentRecordsService } from './incident-records.service.js';
import { IncidentRollbackService } from './incident-rollback.service.js';
import { IncidentSuspectsService } from './incident-suspects.service.js';
import { IncidentTimelineService } from './incident-timeline.service.js';
import { IncidentsController } from './incidents.controller.js';
import { IncidentsRepository } from './incidents.repository.js';
import { IncidentsService } from './incidents.service.js';

@Module({
  imports: [DeploymentsModule],
  controllers: [IncidentsController],
  providers: [
    IncidentsRepository,
    IncidentsService,
    IncidentTimelineService,
    IncidentSuspectsService,
    IncidentRecordsService,
    IncidentRollbackService,
  ],
  exports: [IncidentsService, IncidentsRepository],
})
export class IncidentsModule {}
