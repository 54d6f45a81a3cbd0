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
import { WindowsService } from './windows.service.js';

const e = endpoints;

@Controller()
export class WindowsController {
  constructor(@Inject(WindowsService) private readonly windows: WindowsService) {}

  @Endpoint(e.listDeploymentWindows)
  list(
    @ValidQuery() query: QueryOf<typeof e.listDeploymentWindows>,
  ): Promise<ResponseOf<typeof e.listDeploymentWindows>> {
    return this.windows.list(query);
  }

  @Endpoint(e.createDeploymentWindow)
  create(
    @ValidBody() body: BodyOutputOf<typeof e.createDeploymentWindow>,
    @CurrentPrincipal() principal: Principal,
    @Meta() meta: RequestMeta,
  ): Promise<ResponseOf<typeof e.createDeploymentWindow>> {
    return this.windows.create(principal, body, meta);
  }

  @Endpoint(e.deleteDeploymentWindow)
  remove(
    @ValidParams() params: ParamsOutputOf<typeof e.deleteDeploymentWindow>,
    @CurrentPrincipal() principal: Principal,
    @Meta() meta: RequestMeta,
  ): Promise<ResponseOf<typeof e.deleteDeploymentWindow>> {
    return this.windows.remove(principal, params.id, meta);
  }
}
