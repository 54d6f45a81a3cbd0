import { Controller, Inject } from '@nestjs/common';
import {
  type BodyOutputOf,
  endpoints,
  type ParamsOutputOf,
  type QueryOf,
  type ResponseOf,
} from '@flightdeck/contracts';
import type { RequestMeta } from '../audit/audit.service.js';
import { Endpoint } from '../common/endpoint.decorator.js';
import { ValidBody, ValidParams, ValidQuery } from '../common/endpoint-input.decorator.js';
import type { Principal } from '../identity/principal.js';
import { CurrentPrincipal, Meta } from '../identity/request-meta.js';
import { FreezesService } from './freezes.service.js';

const e = endpoints;

@Controller()
export class FreezesController {
  constructor(@Inject(FreezesService) private readonly freezes: FreezesService) {}

  @Endpoint(e.listFreezes)
  list(@ValidQuery() query: QueryOf<typeof e.listFreezes>): Promise<ResponseOf<typeof e.listFreezes>> {
    return this.freezes.list(query);
  }

  @Endpoint(e.createFreeze)
  create(
    @ValidBody() body: BodyOutputOf<typeof e.createFreeze>,
    @CurrentPrincipal() principal: Principal,
    @Meta() meta: RequestMeta,
  ): Promise<ResponseOf<typeof e.createFreeze>> {
    return this.freezes.create(principal, body, meta);
  }

  @Endpoint(e.deleteFreeze)
  remove(
    @ValidParams() params: ParamsOutputOf<typeof e.deleteFreeze>,
    @CurrentPrincipal() principal: Principal,
    @Meta() meta: RequestMeta,
  ): Promise<ResponseOf<typeof e.deleteFreeze>> {
    return this.freezes.remove(principal, params.id, meta);
  }
}
