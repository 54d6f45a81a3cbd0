import { Controller, Inject } from '@nestjs/common';
import { endpoints, type QueryOf, type ResponseOf } from '@flightdeck/contracts';
import { Endpoint } from '../common/endpoint.decorator.js';
import { ValidQuery } from '../common/endpoint-input.decorator.js';
import { BoardService } from './board.service.js';

const e = endpoints;

@Controller()
export class BoardController {
  constructor(@Inject(BoardService) private readonly board: BoardService) {}

  @Endpoint(e.getBoard)
  get(@ValidQuery() query: QueryOf<typeof e.getBoard>): Promise<ResponseOf<typeof e.getBoard>> {
    return this.board.getBoard(query);
  }
}
