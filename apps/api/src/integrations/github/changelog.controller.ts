import { Controller, Inject } from '@nestjs/common';
import { endpoints, type ParamsOutputOf, type QueryOf, type ResponseOf } from '@flightdeck/contracts';
import { Endpoint } from '../../common/endpoint.decorator.js';
import { ValidParams, ValidQuery } from '../../common/endpoint-input.decorator.js';
import { ChangelogService } from './changelog.service.js';

const e = endpoints;

@Controller()
export class ChangelogController {
  constructor(@Inject(ChangelogService) private readonly changelogs: ChangelogService) {}

  @Endpoint(e.stageChangelog)
  changelog(
    @ValidParams() params: ParamsOutputOf<typeof e.stageChangelog>,
    @ValidQuery() query: QueryOf<typeof e.stageChangelog>,
  ): Promise<ResponseOf<typeof e.stageChangelog>> {
    return this.changelogs.forStage(params.id, query.release);
  }
}
