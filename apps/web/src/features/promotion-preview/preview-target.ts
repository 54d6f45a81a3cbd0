import type { DriverKind } from '@flightdeck/contracts';

// The stage a promotion preview is for, named the way the board names it.
export interface PreviewTarget {
  stageId: string;
  serviceSlug: string;
  serviceName: string;
  environmentName: string;
  driverKind?: DriverKind;
}
