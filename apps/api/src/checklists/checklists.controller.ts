import { Controller, Inject } from '@nestjs/common';
import { type BodyOutputOf, endpoints, type ParamsOutputOf, type ResponseOf } from '@flightdeck/contracts';
import type { RequestMeta } from '../audit/audit.service.js';
import { Endpoint } from '../common/endpoint.decorator.js';
import { ValidBody, ValidParams } from '../common/endpoint-input.decorator.js';
import type { Principal } from '../identity/principal.js';
import { CurrentPrincipal, Meta } from '../identity/request-meta.js';
import { ChecklistsService } from './checklists.service.js';

const e = endpoints;

@Controller()
export class ChecklistsController {
  constructor(@Inject(ChecklistsService) private readonly checklists: ChecklistsService) {}

  @Endpoint(e.getStageChecklist)
  getForStage(
    @ValidParams() params: ParamsOutputOf<typeof e.getStageChecklist>,
  ): Promise<ResponseOf<typeof e.getStageChecklist>> {
    return this.checklists.getForStage(params.id);
  }

  @Endpoint(e.putStageChecklist)
  putForStage(
    @ValidParams() params: ParamsOutputOf<typeof e.putStageChecklist>,
    @ValidBody() body: BodyOutputOf<typeof e.putStageChecklist>,
    @CurrentPrincipal() principal: Principal,
    @Meta() meta: RequestMeta,
  ): Promise<ResponseOf<typeof e.putStageChecklist>> {
    return this.checklists.putForStage(principal, params.id, body, meta);
  }

  @Endpoint(e.confirmChecklistItem)
  confirm(
    @ValidParams() params: ParamsOutputOf<typeof e.confirmChecklistItem>,
    @ValidBody() body: BodyOutputOf<typeof e.confirmChecklistItem>,
    @CurrentPrincipal() principal: Principal,
    @Meta() meta: RequestMeta,
  ): Promise<ResponseOf<typeof e.confirmChecklistItem>> {
    return this.checklists.confirm(principal, params.id, body, meta);
  }
}
