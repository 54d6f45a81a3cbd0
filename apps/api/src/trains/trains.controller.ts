import { Controller, Headers, Inject, Res } from '@nestjs/common';
import {
  type BodyOutputOf,
  endpoints,
  type ParamsOutputOf,
  type QueryOf,
  type ResponseOf,
} from '@flightdeck/contracts';
import type { Response } from 'express';
import type { RequestMeta } from '../audit/audit.service.js';
import { Endpoint } from '../common/endpoint.decorator.js';
import { ValidBody, ValidParams, ValidQuery } from '../common/endpoint-input.decorator.js';
import { parseIdempotencyKey, sendIdempotent } from '../idempotency/idempotency.service.js';
import type { Principal } from '../identity/principal.js';
import { CurrentPrincipal, Meta } from '../identity/request-meta.js';
import { TrainsService } from './trains.service.js';

const e = endpoints;

@Controller()
export class TrainsController {
  constructor(@Inject(TrainsService) private readonly trains: TrainsService) {}

  @Endpoint(e.createReleaseTrain)
  async create(
    @ValidBody() body: BodyOutputOf<typeof e.createReleaseTrain>,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ResponseOf<typeof e.createReleaseTrain>> {
    const result = await this.trains.create(principal, body, parseIdempotencyKey(idempotencyKey), meta);
    return sendIdempotent(res, result);
  }

  @Endpoint(e.listReleaseTrains)
  list(
    @ValidQuery() query: QueryOf<typeof e.listReleaseTrains>,
  ): Promise<ResponseOf<typeof e.listReleaseTrains>> {
    return this.trains.list(query);
  }

  @Endpoint(e.getReleaseTrain)
  get(
    @ValidParams() params: ParamsOutputOf<typeof e.getReleaseTrain>,
  ): Promise<ResponseOf<typeof e.getReleaseTrain>> {
    return this.trains.get(params.id);
  }
}
