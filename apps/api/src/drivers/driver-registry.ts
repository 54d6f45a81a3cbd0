import { Inject, Injectable } from '@nestjs/common';
import type { DriverKind } from '@flightdeck/contracts';
import { DEPLOY_DRIVERS, type DeployDriver } from './driver.js';

// One driver per kind; a stage whose kind has none here cannot be deployed by this build.
@Injectable()
export class DriverRegistry {
  private readonly byKind: ReadonlyMap<DriverKind, DeployDriver>;

  constructor(@Inject(DEPLOY_DRIVERS) drivers: readonly DeployDriver[]) {
    this.byKind = new Map(drivers.map((driver) => [driver.kind, driver]));
  }

  get(kind: DriverKind): DeployDriver | null {
    return this.byKind.get(kind) ?? null;
  }
}
