import { Controller, Inject, Param, Query } from '@nestjs/common';
import { endpoints, type ParamsOutputOf, type QueryOf, type ResponseOf } from '@flightdeck/contracts';
import { Endpoint } from '../common/endpoint.decorator.js';
import { ZodPipe } from '../common/zod.pipe.js';
import { ReleasesService } from './releases.service.js';

const e = endpoints;

@Controller()
export class ReleasesController {
  constructor(@Inject(ReleasesService) private readonly releases: ReleasesService) {}

  @Endpoint(e.listReleases)
  list(
    @Query(new ZodPipe(e.listReleases.query, 'query')) query: QueryOf<typeof e.listReleases>,
  ): Promise<ResponseOf<typeof e.listReleases>> {
    return this.releases.list(query);
  }

  @Endpoint(e.getRelease)
  get(
    @Param(new ZodPipe(e.getRelease.params, 'params')) params: ParamsOutputOf<typeof e.getRelease>,
  ): Promise<ResponseOf<typeof e.getRelease>> {
    return this.releases.get(params.id);
  }
}
