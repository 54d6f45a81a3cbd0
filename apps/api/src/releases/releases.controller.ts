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
import type { Principal } from '../identity/principal.js';
import { CurrentPrincipal, Meta } from '../identity/request-meta.js';
import { ReleasesService } from './releases.service.js';

const e = endpoints;

@Controller()
export class ReleasesController {
  constructor(@Inject(ReleasesService) private readonly releases: ReleasesService) {}

  @Endpoint(e.listReleases)
  list(@ValidQuery() query: QueryOf<typeof e.listReleases>): Promise<ResponseOf<typeof e.listReleases>> {
    return this.releases.list(query);
  }

  @Endpoint(e.createRelease)
  async create(
    @ValidBody() body: BodyOutputOf<typeof e.createRelease>,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ResponseOf<typeof e.createRelease>> {
    const result = await this.releases.create(principal, body, parseIdempotencyKey(idempotencyKey), meta);
    return sendIdempotent(res, result);
  }

  @Endpoint(e.quarantineRelease)
  quarantine(
    @ValidParams() params: ParamsOutputOf<typeof e.quarantineRelease>,
    @ValidBody() body: BodyOutputOf<typeof e.quarantineRelease>,
    @CurrentPrincipal() principal: Principal,
    @Meta() meta: RequestMeta,
  ): Promise<ResponseOf<typeof e.quarantineRelease>> {
    return this.releases.setQuarantine(principal, params.id, body.reason, meta);
  }

  @Endpoint(e.liftQuarantine)
  liftQuarantine(
    @ValidParams() params: ParamsOutputOf<typeof e.liftQuarantine>,
    @CurrentPrincipal() principal: Principal,
    @Meta() meta: RequestMeta,
  ): Promise<ResponseOf<typeof e.liftQuarantine>> {
    return this.releases.setQuarantine(principal, params.id, null, meta);
  }

  @Endpoint(e.getRelease)
  get(@ValidParams() params: ParamsOutputOf<typeof e.getRelease>): Promise<ResponseOf<typeof e.getRelease>> {
    return this.releases.get(params.id);
  }
}
