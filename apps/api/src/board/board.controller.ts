import { Controller, Inject, Req, Res } from '@nestjs/common';
import { endpoints, type QueryOf } from '@flightdeck/contracts';
import type { Request, Response } from 'express';
import { Endpoint } from '../common/endpoint.decorator.js';
import { ValidQuery } from '../common/endpoint-input.decorator.js';
import { BoardCache } from './board-cache.js';
import { boardPageRequest } from './board-page.js';
import type { BoardSnapshot } from './board-snapshot.js';
import { BoardService } from './board.service.js';

const e = endpoints;

@Controller()
export class BoardController {
  constructor(
    @Inject(BoardService) private readonly board: BoardService,
    @Inject(BoardCache) private readonly cache: BoardCache,
  ) {}

  // Writes the response itself: the body is already serialised (and gzipped) once per board.
  @Endpoint(e.getBoard)
  async get(
    @ValidQuery() query: QueryOf<typeof e.getBoard>,
    @Req() req: Request,
    @Res({ passthrough: false }) res: Response,
  ): Promise<void> {
    const page = boardPageRequest(query);
    // A filtered board is one service or team: cheap to read, so it is never cached. Pages of the
    // whole board are slices of the cached one.
    const snapshot =
      query.team || query.q
        ? await this.board.filteredSnapshot({ team: query.team, q: query.q }, page)
        : page
          ? await this.cache.page(page)
          : await this.cache.get();
    await send(req, res, snapshot);
  }
}

// Every client revalidates (no-cache) and gets 304 when its copy is current; gzip when accepted.
async function send(req: Request, res: Response, snapshot: BoardSnapshot): Promise<void> {
  res.setHeader('ETag', snapshot.etag);
  res.setHeader('Cache-Control', 'private, no-cache');
  res.setHeader('Vary', 'Accept-Encoding');
  if (req.fresh) {
    res.status(304).end();
    return;
  }
  res.type('application/json');
  if (req.acceptsEncodings('gzip', 'identity') === 'gzip') {
    res.setHeader('Content-Encoding', 'gzip');
    res.send(await snapshot.gzip());
  } else {
    res.send(snapshot.body);
  }
}
