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
import { CatalogService } from './catalog.service.js';

const e = endpoints;

@Controller()
export class CatalogController {
  constructor(@Inject(CatalogService) private readonly catalog: CatalogService) {}

  @Endpoint(e.listServices)
  listServices(
    @ValidQuery() query: QueryOf<typeof e.listServices>,
  ): Promise<ResponseOf<typeof e.listServices>> {
    return this.catalog.listServices(query);
  }

  @Endpoint(e.getService)
  getService(
    @ValidParams() params: ParamsOutputOf<typeof e.getService>,
  ): Promise<ResponseOf<typeof e.getService>> {
    return this.catalog.getService(params.slug);
  }

  @Endpoint(e.updateService)
  updateService(
    @ValidParams() params: ParamsOutputOf<typeof e.updateService>,
    @ValidBody() body: BodyOutputOf<typeof e.updateService>,
    @CurrentPrincipal() principal: Principal,
    @Meta() meta: RequestMeta,
  ): Promise<ResponseOf<typeof e.updateService>> {
    return this.catalog.updateService(principal, params.slug, body, meta);
  }

  @Endpoint(e.listEnvironments)
  listEnvironments(): Promise<ResponseOf<typeof e.listEnvironments>> {
    return this.catalog.listEnvironments();
  }

  @Endpoint(e.listStages)
  listStages(@ValidQuery() query: QueryOf<typeof e.listStages>): Promise<ResponseOf<typeof e.listStages>> {
    return this.catalog.listStages(query);
  }
}
