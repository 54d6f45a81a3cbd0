import { Global, Module } from '@nestjs/common';
import { AuditExporter } from './audit-export.js';
import { AuditQueryService } from './audit-query.service.js';
import { AuditVerifier } from './audit-verifier.js';
import { AuditController } from './audit.controller.js';
import { AuditRepository } from './audit.repository.js';
import { AuditService } from './audit.service.js';

@Global()
@Module({
  controllers: [AuditController],
  providers: [AuditService, AuditRepository, AuditQueryService, AuditVerifier, AuditExporter],
  exports: [AuditService],
})
export class AuditModule {}
