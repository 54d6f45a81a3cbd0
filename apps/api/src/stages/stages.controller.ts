import { Controller, Inject } from '@nestjs/common';
import { type BodyOutputOf, endpoints, type ParamsOutputOf, type ResponseOf } from '@flightdeck/contracts';
import type { RequestMeta } from '../audit/audit.service.js';
import { Endpoint } from '../common/endpoint.decorator.js';
import { ValidBody, ValidParams } from '../common/endpoint-input.decorator.js';
import type { Principal } from '../identity/principal.js';
import { CurrentPrincipal, Meta } from '../identity/request-meta.js';
import { StagesService } from './stages.service.js';

const e = endpoints;

@Controller()
export class StagesController {
  constructor(@Inject(StagesService) private readonly stages: StagesService) {}

  @Endpoint(e.getStage)
  get(@ValidParams() params: ParamsOutputOf<typeof e.getStage>): Promise<ResponseOf<typeof e.getStage>> {
    return this.stages.get(params.id);
  }

  @Endpoint(e.updateStage)
  update(
    @ValidParams() params: ParamsOutputOf<typeof e.updateStage>,
    @ValidBody() body: BodyOutputOf<typeof e.updateStage>,
    @CurrentPrincipal() principal: Principal,
    @Meta() meta: RequestMeta,
  ): Promise<ResponseOf<typeof e.updateStage>> {
    return this.stages.update(principal, params.id, body, meta);
  }
}
