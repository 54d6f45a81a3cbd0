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
import { ApprovalsService } from './approvals.service.js';

const e = endpoints;

@Controller()
export class ApprovalsController {
  constructor(@Inject(ApprovalsService) private readonly approvals: ApprovalsService) {}

  @Endpoint(e.listApprovals)
  list(
    @ValidQuery() query: QueryOf<typeof e.listApprovals>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ResponseOf<typeof e.listApprovals>> {
    return this.approvals.inbox(principal, query.scope);
  }

  @Endpoint(e.getDeploymentApproval)
  get(
    @ValidParams() params: ParamsOutputOf<typeof e.getDeploymentApproval>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ResponseOf<typeof e.getDeploymentApproval>> {
    return this.approvals.get(principal, params.id);
  }

  @Endpoint(e.approveDeployment)
  approve(
    @ValidParams() params: ParamsOutputOf<typeof e.approveDeployment>,
    @ValidBody() body: BodyOutputOf<typeof e.approveDeployment>,
    @CurrentPrincipal() principal: Principal,
    @Meta() meta: RequestMeta,
  ): Promise<ResponseOf<typeof e.approveDeployment>> {
    return this.approvals.decide(principal, params.id, 'approve', body.comment, meta);
  }

  @Endpoint(e.rejectDeployment)
  reject(
    @ValidParams() params: ParamsOutputOf<typeof e.rejectDeployment>,
    @ValidBody() body: BodyOutputOf<typeof e.rejectDeployment>,
    @CurrentPrincipal() principal: Principal,
    @Meta() meta: RequestMeta,
  ): Promise<ResponseOf<typeof e.rejectDeployment>> {
    return this.approvals.decide(principal, params.id, 'reject', body.comment, meta);
  }
}
