import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { WindowsController } from './windows.controller.js';
import { WindowsRepository } from './windows.repository.js';
import { WindowsService } from './windows.service.js';

@Module({
  imports: [CatalogModule],
  controllers: [WindowsController],
  providers: [WindowsService, WindowsRepository],
  exports: [WindowsService],
})
export class WindowsModule {}
