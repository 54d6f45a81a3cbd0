import { Controller, Inject } from '@nestjs/common';
import { endpoints, type ParamsOutputOf, type QueryOf, type ResponseOf } from '@flightdeck/contracts';
import { Endpoint } from '../common/endpoint.decorator.js';
import { ValidQuery, ValidParams } from '../common/endpoint-input.decorator.js';
import { ReleasesService } from './releases.service.js';

const e = endpoints;

@Controller()
export class ReleasesController {
  constructor(@Inject(ReleasesService) private readonly releases: ReleasesService) {}

  @Endpoint(e.listReleases)
  list(@ValidQuery() query: QueryOf<typeof e.listReleases>): Promise<ResponseOf<typeof e.listReleases>> {
    return this.releases.list(query);
  }

  @Endpoint(e.getRelease)
  get(@ValidParams() params: ParamsOutputOf<typeof e.getRelease>): Promise<ResponseOf<typeof e.getRelease>> {
    return this.releases.get(params.id);
  }
}
