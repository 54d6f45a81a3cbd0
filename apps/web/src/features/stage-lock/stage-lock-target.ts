import type { BoardCell } from '@flightdeck/contracts';

// The stage a lock dialog acts on, named the way the board names it.
export interface StageLockTarget {
  stageId: string;
  serviceName: string;
  environmentName: string;
  lock: BoardCell['lock'];
}
