import { Access } from '../identity/access.decorator.js';
import { Controller, Get, Header, Inject } from '@nestjs/common';
import { Metrics } from './metrics.js';

@Controller()
export class MetricsController {
  constructor(@Inject(Metrics) private readonly metrics: Metrics) {}

  @Access('public')
  @Get('/metrics')
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
