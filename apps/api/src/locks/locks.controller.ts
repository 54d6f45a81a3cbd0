import { Controller, Inject } from '@nestjs/common';
import { type BodyOutputOf, endpoints, type ParamsOutputOf, type ResponseOf } from '@flightdeck/contracts';
import type { RequestMeta } from '../audit/audit.service.js';
import { Endpoint } from '../common/endpoint.decorator.js';
import { ValidBody, ValidParams } from '../common/endpoint-input.decorator.js';
import type { Principal } from '../identity/principal.js';
import { CurrentPrincipal, Meta } from '../identity/request-meta.js';
import { LocksService } from './locks.service.js';

const e = endpoints;

@Controller()
export class LocksController {
  constructor(@Inject(LocksService) private readonly locks: LocksService) {}

  @Endpoint(e.lockStage)
  lock(
    @ValidParams() params: ParamsOutputOf<typeof e.lockStage>,
    @ValidBody() body: BodyOutputOf<typeof e.lockStage>,
    @CurrentPrincipal() principal: Principal,
    @Meta() meta: RequestMeta,
  ): Promise<ResponseOf<typeof e.lockStage>> {
    return this.locks.lock(principal, params.id, body.reason, meta);
  }

  @Endpoint(e.unlockStage)
  unlock(
    @ValidParams() params: ParamsOutputOf<typeof e.unlockStage>,
    @CurrentPrincipal() principal: Principal,
    @Meta() meta: RequestMeta,
  ): Promise<ResponseOf<typeof e.unlockStage>> {
    return this.locks.unlock(principal, params.id, meta);
  }
}
