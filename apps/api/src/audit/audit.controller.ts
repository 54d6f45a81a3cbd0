import { Controller, Inject, Res } from '@nestjs/common';
import { endpoints, type QueryOf, type ResponseOf } from '@flightdeck/contracts';
import type { Response } from 'express';
import { Endpoint } from '../common/endpoint.decorator.js';
import { ValidQuery } from '../common/endpoint-input.decorator.js';
import { AuditExporter } from './audit-export.js';
import { AuditQueryService } from './audit-query.service.js';
import { AuditVerifier } from './audit-verifier.js';

const e = endpoints;

@Controller()
export class AuditController {
  constructor(
    @Inject(AuditQueryService) private readonly query: AuditQueryService,
    @Inject(AuditVerifier) private readonly verifier: AuditVerifier,
    @Inject(AuditExporter) private readonly exporter: AuditExporter,
  ) {}

  @Endpoint(e.listAuditEvents)
  list(
    @ValidQuery() query: QueryOf<typeof e.listAuditEvents>,
  ): Promise<ResponseOf<typeof e.listAuditEvents>> {
    return this.query.list(query);
  }

  @Endpoint(e.verifyAuditChain)
  verify(): Promise<ResponseOf<typeof e.verifyAuditChain>> {
    return this.verifier.verify();
  }

  // Writes the response itself: a stream, not a value for Nest to serialise.
  @Endpoint(e.exportAuditEvents)
  export(
    @ValidQuery() query: QueryOf<typeof e.exportAuditEvents>,
    @Res({ passthrough: false }) res: Response,
  ): Promise<void> {
    return this.exporter.export(query, res);
  }
}
