// The stage a rollback (or the release of its hold) is for, named the way the page that opens it names it.
export interface RollbackTarget {
  stageId: string;
  serviceSlug: string;
  serviceName: string;
  environmentName: string;
}

export interface HoldTarget extends RollbackTarget {
  hold: { release: { version: string }; reason: string | null };
}
