import { Controller, Inject } from '@nestjs/common';
import { endpoints, type ParamsOutputOf, type ResponseOf } from '@flightdeck/contracts';
import { Endpoint } from '../common/endpoint.decorator.js';
import { ValidParams } from '../common/endpoint-input.decorator.js';
import { EvidenceService } from './evidence.service.js';

const e = endpoints;

@Controller()
export class EvidenceController {
  constructor(@Inject(EvidenceService) private readonly evidence: EvidenceService) {}

  @Endpoint(e.getDeploymentEvidence)
  get(
    @ValidParams() params: ParamsOutputOf<typeof e.getDeploymentEvidence>,
  ): Promise<ResponseOf<typeof e.getDeploymentEvidence>> {
    return this.evidence.get(params.id);
  }
}
