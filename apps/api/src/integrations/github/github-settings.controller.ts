import { Controller, Inject } from '@nestjs/common';
import { type BodyOutputOf, endpoints, type ParamsOutputOf, type ResponseOf } from '@flightdeck/contracts';
import type { RequestMeta } from '../../audit/audit.service.js';
import { Endpoint } from '../../common/endpoint.decorator.js';
import { ValidBody, ValidParams } from '../../common/endpoint-input.decorator.js';
import type { Principal } from '../../identity/principal.js';
import { CurrentPrincipal, Meta } from '../../identity/request-meta.js';
import { GitHubSettingsService } from './github-settings.service.js';

const e = endpoints;

@Controller()
export class GitHubSettingsController {
  constructor(@Inject(GitHubSettingsService) private readonly settings: GitHubSettingsService) {}

  @Endpoint(e.getServiceGitHub)
  get(
    @ValidParams() params: ParamsOutputOf<typeof e.getServiceGitHub>,
  ): Promise<ResponseOf<typeof e.getServiceGitHub>> {
    return this.settings.get(params.slug);
  }

  @Endpoint(e.putServiceGitHub)
  put(
    @ValidParams() params: ParamsOutputOf<typeof e.putServiceGitHub>,
    @ValidBody() body: BodyOutputOf<typeof e.putServiceGitHub>,
    @CurrentPrincipal() principal: Principal,
    @Meta() meta: RequestMeta,
  ): Promise<ResponseOf<typeof e.putServiceGitHub>> {
    return this.settings.put(principal, params.slug, body, meta);
  }
}
