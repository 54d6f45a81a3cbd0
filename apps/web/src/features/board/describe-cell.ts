import type { BoardCell, BoardRow, Environment } from '@flightdeck/contracts';
import { formatAge, formatMoment, formatTimestamp } from '../../lib/time';
import { DEPLOYMENT_KIND_LABEL, DEPLOYMENT_STATUS_META, HEALTH_STATUS_META } from '../status/status-meta';
import { pendingRelease } from './board-model';

// One sentence per cell for screen readers: the same facts the cell shows visually, in reading order.
export function describeCell(
  service: BoardRow['service'],
  environment: Environment,
  cell: BoardCell | undefined,
  waitingFrom: Environment | null,
  now: number,
  waitingFor?: string,
): string {
  const where = `${service.name} in ${environment.name}`;
  if (!cell) return `${where}: not deployed to this environment`;
  const parts: string[] = [];
  if (cell.current) {
    parts.push(`running ${cell.current.version}`);
  } else {
    parts.push('never deployed');
  }
  const last = cell.lastDeployment;
  if (last) {
    const moving = pendingRelease(cell);
    const status = DEPLOYMENT_STATUS_META[last.status].label.toLowerCase();
    parts.push(
      moving
        ? `${DEPLOYMENT_KIND_LABEL[last.kind].toLowerCase()} of ${moving.version} ${status}`
        : `last ${DEPLOYMENT_KIND_LABEL[last.kind].toLowerCase()} ${status}`,
    );
  }
  if (last?.status === 'pending' && waitingFor) parts.push(`waiting: ${waitingFor}`);
  if (last?.breakGlass) parts.push('break glass');
  if (cell.current || cell.health !== 'unknown') {
    parts.push(`health ${HEALTH_STATUS_META[cell.health].label.toLowerCase()}`);
  }
  if (cell.deployedAt) {
    parts.push(`deployed ${formatAge(cell.deployedAt, now)} (${formatTimestamp(cell.deployedAt)})`);
  }
  if (cell.waiting) {
    parts.push(`${cell.waiting.version} ready${waitingFrom ? ` from ${waitingFrom.name}` : ''}`);
  }
  if (cell.freeze) {
    parts.push(`frozen until ${formatMoment(cell.freeze.until, now)}: ${cell.freeze.reason}`);
  }
  if (cell.lock) parts.push(`locked by ${cell.lock.by}: ${cell.lock.reason}`);
  if (cell.hold) {
    parts.push(`held: ${cell.hold.release.version}${cell.hold.reason ? ` (${cell.hold.reason})` : ''}`);
  }
  if (cell.driverKind === 'sandbox') parts.push('sandbox target');
  return `${where}: ${parts.join(', ')}`;
}
