import { Module } from '@nestjs/common';
import { DeploymentsModule } from '../deployments/deployments.module.js';
import { StageVerificationController } from './stage-verification.controller.js';
import { StageVerificationService } from './stage-verification.service.js';
import { Verifier } from './verifier.js';

@Module({
  imports: [DeploymentsModule],
  controllers: [StageVerificationController],
  providers: [StageVerificationService, Verifier],
  exports: [Verifier],
})
export class VerificationModule {}
