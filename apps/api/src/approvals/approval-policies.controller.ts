import { Controller, Inject } from '@nestjs/common';
import { type BodyOutputOf, endpoints, type ParamsOutputOf, type ResponseOf } from '@flightdeck/contracts';
import type { RequestMeta } from '../audit/audit.service.js';
import { Endpoint } from '../common/endpoint.decorator.js';
import { ValidBody, ValidParams } from '../common/endpoint-input.decorator.js';
import type { Principal } from '../identity/principal.js';
import { CurrentPrincipal, Meta } from '../identity/request-meta.js';
import { ApprovalPoliciesService } from './approval-policies.service.js';

const e = endpoints;

@Controller()
export class ApprovalPoliciesController {
  constructor(@Inject(ApprovalPoliciesService) private readonly policies: ApprovalPoliciesService) {}

  @Endpoint(e.getEnvironmentPolicy)
  getForEnvironment(
    @ValidParams() params: ParamsOutputOf<typeof e.getEnvironmentPolicy>,
  ): Promise<ResponseOf<typeof e.getEnvironmentPolicy>> {
    return this.policies.getForEnvironment(params.slug);
  }

  @Endpoint(e.putEnvironmentPolicy)
  putForEnvironment(
    @ValidParams() params: ParamsOutputOf<typeof e.putEnvironmentPolicy>,
    @ValidBody() body: BodyOutputOf<typeof e.putEnvironmentPolicy>,
    @CurrentPrincipal() principal: Principal,
    @Meta() meta: RequestMeta,
  ): Promise<ResponseOf<typeof e.putEnvironmentPolicy>> {
    return this.policies.putForEnvironment(principal, params.slug, body, meta);
  }

  @Endpoint(e.getStagePolicy)
  getForStage(
    @ValidParams() params: ParamsOutputOf<typeof e.getStagePolicy>,
  ): Promise<ResponseOf<typeof e.getStagePolicy>> {
    return this.policies.getForStage(params.id);
  }

  @Endpoint(e.putStagePolicy)
  putForStage(
    @ValidParams() params: ParamsOutputOf<typeof e.putStagePolicy>,
    @ValidBody() body: BodyOutputOf<typeof e.putStagePolicy>,
    @CurrentPrincipal() principal: Principal,
    @Meta() meta: RequestMeta,
  ): Promise<ResponseOf<typeof e.putStagePolicy>> {
    return this.policies.putForStage(principal, params.id, body, meta);
  }

  @Endpoint(e.deleteStagePolicy)
  deleteForStage(
    @ValidParams() params: ParamsOutputOf<typeof e.deleteStagePolicy>,
    @CurrentPrincipal() principal: Principal,
    @Meta() meta: RequestMeta,
  ): Promise<ResponseOf<typeof e.deleteStagePolicy>> {
    return this.policies.deleteForStage(principal, params.id, meta);
  }
}
