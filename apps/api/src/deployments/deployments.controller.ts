import { Controller, Inject, Param, Query } from '@nestjs/common';
import { endpoints, type ParamsOutputOf, type QueryOf, type ResponseOf } from '@flightdeck/contracts';
import { Endpoint } from '../common/endpoint.decorator.js';
import { ZodPipe } from '../common/zod.pipe.js';
import { DeploymentsService } from './deployments.service.js';

const e = endpoints;

@Controller()
export class DeploymentsController {
  constructor(@Inject(DeploymentsService) private readonly deployments: DeploymentsService) {}

  @Endpoint(e.listDeployments)
  list(
    @Query(new ZodPipe(e.listDeployments.query, 'query')) query: QueryOf<typeof e.listDeployments>,
  ): Promise<ResponseOf<typeof e.listDeployments>> {
    return this.deployments.list(query);
  }

  @Endpoint(e.getDeployment)
  get(
    @Param(new ZodPipe(e.getDeployment.params, 'params')) params: ParamsOutputOf<typeof e.getDeployment>,
  ): Promise<ResponseOf<typeof e.getDeployment>> {
    return this.deployments.get(params.id);
  }
}
