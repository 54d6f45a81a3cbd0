import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { FreezesModule } from '../freezes/freezes.module.js';
import { BoardController } from './board.controller.js';
import { BoardRepository } from './board.repository.js';
import { BoardService } from './board.service.js';

@Module({
  imports: [CatalogModule, FreezesModule],
  controllers: [BoardController],
  providers: [BoardRepository, BoardService],
})
export class BoardModule {}
