import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { ReleaseIntakeService } from './release-intake.service.js';
import { ReleasesController } from './releases.controller.js';
import { ReleasesRepository } from './releases.repository.js';
import { ReleasesService } from './releases.service.js';

@Module({
  imports: [CatalogModule],
  controllers: [ReleasesController],
  providers: [ReleasesRepository, ReleasesService, ReleaseIntakeService],
  exports: [ReleasesService, ReleaseIntakeService],
})
export class ReleasesModule {}
