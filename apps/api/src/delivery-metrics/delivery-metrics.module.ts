import { Module } from '@nestjs/common';
import { DeliveryMetricsController } from './delivery-metrics.controller.js';
import { DeliveryMetricsRepository } from './delivery-metrics.repository.js';
import { DeliveryMetricsService } from './delivery-metrics.service.js';

// DORA delivery metrics; Prometheus's own /metrics lives in ../metrics.
@Module({
  controllers: [DeliveryMetricsController],
  providers: [DeliveryMetricsRepository, DeliveryMetricsService],
})
export class DeliveryMetricsModule {}
