import { Controller, Inject } from '@nestjs/common';
import { type BodyOutputOf, endpoints, type ParamsOutputOf, type ResponseOf } from '@flightdeck/contracts';
import type { RequestMeta } from '../audit/audit.service.js';
import { Endpoint } from '../common/endpoint.decorator.js';
import { ValidBody, ValidParams } from '../common/endpoint-input.decorator.js';
import type { Principal } from '../identity/principal.js';
import { CurrentPrincipal, Meta } from '../identity/request-meta.js';
import { StageVerificationService } from './stage-verification.service.js';

const e = endpoints;

@Controller()
export class StageVerificationController {
  constructor(@Inject(StageVerificationService) private readonly verification: StageVerificationService) {}

  @Endpoint(e.getStageVerification)
  get(
    @ValidParams() params: ParamsOutputOf<typeof e.getStageVerification>,
  ): Promise<ResponseOf<typeof e.getStageVerification>> {
    return this.verification.get(params.id);
  }

  @Endpoint(e.putStageVerification)
  put(
    @ValidParams() params: ParamsOutputOf<typeof e.putStageVerification>,
    @ValidBody() body: BodyOutputOf<typeof e.putStageVerification>,
    @CurrentPrincipal() principal: Principal,
    @Meta() meta: RequestMeta,
  ): Promise<ResponseOf<typeof e.putStageVerification>> {
    return this.verification.put(principal, params.id, body, meta);
  }
}
