import { Controller, Inject } from '@nestjs/common';
import { endpoints, type QueryOf, type ResponseOf } from '@flightdeck/contracts';
import { Endpoint } from '../common/endpoint.decorator.js';
import { ValidQuery } from '../common/endpoint-input.decorator.js';
import { DeliveryMetricsService } from './delivery-metrics.service.js';

const e = endpoints;

@Controller()
export class DeliveryMetricsController {
  constructor(@Inject(DeliveryMetricsService) private readonly metrics: DeliveryMetricsService) {}

  @Endpoint(e.getDeliveryMetrics)
  get(
    @ValidQuery() query: QueryOf<typeof e.getDeliveryMetrics>,
  ): Promise<ResponseOf<typeof e.getDeliveryMetrics>> {
    return this.metrics.get(query);
  }
}
