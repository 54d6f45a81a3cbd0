import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { DeploymentsModule } from '../deployments/deployments.module.js';
import { TrainsController } from './trains.controller.js';
import { TrainsService } from './trains.service.js';

@Module({
  imports: [CatalogModule, DeploymentsModule],
  controllers: [TrainsController],
  providers: [TrainsService],
})
export class TrainsModule {}
