import { Controller, Inject } from '@nestjs/common';
import { endpoints, type ParamsOutputOf, type QueryOf, type ResponseOf } from '@flightdeck/contracts';
import { Endpoint } from '../common/endpoint.decorator.js';
import { ValidParams, ValidQuery } from '../common/endpoint-input.decorator.js';
import { PromotionPreviewService } from './promotion-preview.service.js';

const e = endpoints;

@Controller()
export class PreviewController {
  constructor(@Inject(PromotionPreviewService) private readonly previews: PromotionPreviewService) {}

  @Endpoint(e.previewPromotion)
  preview(
    @ValidParams() params: ParamsOutputOf<typeof e.previewPromotion>,
    @ValidQuery() query: QueryOf<typeof e.previewPromotion>,
  ): Promise<ResponseOf<typeof e.previewPromotion>> {
    return this.previews.preview(params.id, query.release);
  }
}
