import { Module } from '@nestjs/common';
import { DeploymentsModule } from '../deployments/deployments.module.js';
import { DriversModule } from '../drivers/drivers.module.js';
import { VerificationModule } from '../verification/verification.module.js';
import { ClaimsRepository } from './claims.repository.js';
import { DeploymentRunner } from './deployment-runner.service.js';
import { DeploymentStepper } from './deployment-stepper.js';
import { HousekeepingService } from './housekeeping.service.js';
import { SingleFlight } from './single-flight.js';

@Module({
  imports: [DeploymentsModule, DriversModule, VerificationModule],
  providers: [ClaimsRepository, DeploymentRunner, DeploymentStepper, HousekeepingService, SingleFlight],
  exports: [DeploymentRunner],
})
export class RunnerModule {}
