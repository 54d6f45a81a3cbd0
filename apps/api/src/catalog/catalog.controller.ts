import { Controller, Inject, Param, Query } from '@nestjs/common';
import { endpoints, type ParamsOutputOf, type QueryOf, type ResponseOf } from '@flightdeck/contracts';
import { Endpoint } from '../common/endpoint.decorator.js';
import { ZodPipe } from '../common/zod.pipe.js';
import { CatalogService } from './catalog.service.js';

const e = endpoints;

@Controller()
export class CatalogController {
  constructor(@Inject(CatalogService) private readonly catalog: CatalogService) {}

  @Endpoint(e.listServices)
  listServices(
    @Query(new ZodPipe(e.listServices.query, 'query')) query: QueryOf<typeof e.listServices>,
  ): Promise<ResponseOf<typeof e.listServices>> {
    return this.catalog.listServices(query);
  }

  @Endpoint(e.getService)
  getService(
    @Param(new ZodPipe(e.getService.params, 'params')) params: ParamsOutputOf<typeof e.getService>,
  ): Promise<ResponseOf<typeof e.getService>> {
    return this.catalog.getService(params.slug);
  }

  @Endpoint(e.listEnvironments)
  listEnvironments(): Promise<ResponseOf<typeof e.listEnvironments>> {
    return this.catalog.listEnvironments();
  }

  @Endpoint(e.listStages)
  listStages(
    @Query(new ZodPipe(e.listStages.query, 'query')) query: QueryOf<typeof e.listStages>,
  ): Promise<ResponseOf<typeof e.listStages>> {
    return this.catalog.listStages(query);
  }
}
