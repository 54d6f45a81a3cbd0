import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { FreezesModule } from '../freezes/freezes.module.js';
import { BoardCache } from './board-cache.js';
import { BoardChanges } from './board-changes.js';
import { BoardController } from './board.controller.js';
import { BoardRepository } from './board.repository.js';
import { BoardService } from './board.service.js';

@Module({
  imports: [CatalogModule, FreezesModule],
  controllers: [BoardController],
  providers: [BoardRepository, BoardService, BoardChanges, BoardCache],
})
export class BoardModule {}
