import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { FreezesController } from './freezes.controller.js';
import { FreezesService } from './freezes.service.js';

@Module({
  imports: [CatalogModule],
  controllers: [FreezesController],
  providers: [FreezesService],
  exports: [FreezesService],
})
export class FreezesModule {}
