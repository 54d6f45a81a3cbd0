import { Controller, Headers, Inject, Res } from '@nestjs/common';
import { type BodyOutputOf, endpoints, type ParamsOutputOf, type ResponseOf } from '@flightdeck/contracts';
import type { Response } from 'express';
import type { RequestMeta } from '../audit/audit.service.js';
import { Endpoint } from '../common/endpoint.decorator.js';
import { ValidBody, ValidParams } from '../common/endpoint-input.decorator.js';
import { parseIdempotencyKey, sendIdempotent } from '../idempotency/idempotency.service.js';
import type { Principal } from '../identity/principal.js';
import { CurrentPrincipal, Meta } from '../identity/request-meta.js';
import { RollbackService } from './rollback.service.js';

const e = endpoints;

@Controller()
export class RollbackController {
  constructor(@Inject(RollbackService) private readonly rollbacks: RollbackService) {}

  @Endpoint(e.getRollbackOptions)
  options(
    @ValidParams() params: ParamsOutputOf<typeof e.getRollbackOptions>,
  ): Promise<ResponseOf<typeof e.getRollbackOptions>> {
    return this.rollbacks.options(params.id);
  }

  @Endpoint(e.rollbackStage)
  async rollback(
    @ValidParams() params: ParamsOutputOf<typeof e.rollbackStage>,
    @ValidBody() body: BodyOutputOf<typeof e.rollbackStage>,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ResponseOf<typeof e.rollbackStage>> {
    const result = await this.rollbacks.rollback(
      principal,
      params.id,
      body,
      parseIdempotencyKey(idempotencyKey),
      meta,
    );
    return sendIdempotent(res, result);
  }

  @Endpoint(e.releaseHold)
  releaseHold(
    @ValidParams() params: ParamsOutputOf<typeof e.releaseHold>,
    @CurrentPrincipal() principal: Principal,
    @Meta() meta: RequestMeta,
  ): Promise<ResponseOf<typeof e.releaseHold>> {
    return this.rollbacks.releaseHold(principal, params.id, meta);
  }
}
