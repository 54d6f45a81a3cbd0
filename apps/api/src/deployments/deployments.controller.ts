import { Controller, Inject } from '@nestjs/common';
import { endpoints, type ParamsOutputOf, type QueryOf, type ResponseOf } from '@flightdeck/contracts';
import { Endpoint } from '../common/endpoint.decorator.js';
import { ValidQuery, ValidParams } from '../common/endpoint-input.decorator.js';
import { DeploymentsService } from './deployments.service.js';

const e = endpoints;

@Controller()
export class DeploymentsController {
  constructor(@Inject(DeploymentsService) private readonly deployments: DeploymentsService) {}

  @Endpoint(e.listDeployments)
  list(
    @ValidQuery() query: QueryOf<typeof e.listDeployments>,
  ): Promise<ResponseOf<typeof e.listDeployments>> {
    return this.deployments.list(query);
  }

  @Endpoint(e.getDeployment)
  get(
    @ValidParams() params: ParamsOutputOf<typeof e.getDeployment>,
  ): Promise<ResponseOf<typeof e.getDeployment>> {
    return this.deployments.get(params.id);
  }
}
