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
import { actorOf, type Principal } from '../identity/principal.js';
import { CurrentPrincipal, Meta } from '../identity/request-meta.js';
import { DeploymentRequestsService } from './deployment-requests.service.js';
import { DeploymentsService } from './deployments.service.js';
import { ExternalStatusService } from './external-status.service.js';

const e = endpoints;

@Controller()
export class DeploymentsController {
  constructor(
    @Inject(DeploymentsService) private readonly deployments: DeploymentsService,
    @Inject(DeploymentRequestsService) private readonly requests: DeploymentRequestsService,
    @Inject(ExternalStatusService) private readonly external: ExternalStatusService,
  ) {}

  @Endpoint(e.listDeployments)
  list(
    @ValidQuery() query: QueryOf<typeof e.listDeployments>,
  ): Promise<ResponseOf<typeof e.listDeployments>> {
    return this.deployments.list(query);
  }

  @Endpoint(e.getDeployment)
  get(
    @ValidParams() params: ParamsOutputOf<typeof e.getDeployment>,
  ): Promise<ResponseOf<typeof e.getDeployment>> {
    return this.deployments.get(params.id);
  }

  @Endpoint(e.createDeployment)
  async create(
    @ValidBody() body: BodyOutputOf<typeof e.createDeployment>,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ResponseOf<typeof e.createDeployment>> {
    const result = await this.requests.create(principal, body, parseIdempotencyKey(idempotencyKey), meta);
    return sendIdempotent(res, result);
  }

  @Endpoint(e.cancelDeployment)
  cancel(
    @ValidParams() params: ParamsOutputOf<typeof e.cancelDeployment>,
    @ValidBody() body: BodyOutputOf<typeof e.cancelDeployment>,
    @CurrentPrincipal() principal: Principal,
    @Meta() meta: RequestMeta,
  ): Promise<ResponseOf<typeof e.cancelDeployment>> {
    return this.requests.cancel(principal, params.id, body.reason, meta);
  }

  @Endpoint(e.reportDeployment)
  async report(
    @ValidParams() params: ParamsOutputOf<typeof e.reportDeployment>,
    @ValidBody() body: BodyOutputOf<typeof e.reportDeployment>,
    @CurrentPrincipal() principal: Principal,
    @Meta() meta: RequestMeta,
  ): Promise<ResponseOf<typeof e.reportDeployment>> {
    await this.deployments.assertReportable(principal, params.id, meta);
    return this.external.apply(params.id, body, actorOf(principal), meta);
  }
}
