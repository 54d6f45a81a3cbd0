import type { AuditOutcome } from '../generated/prisma/enums.js';
import { ValidationError } from '../common/errors.js';

// The filters shared by the list and the export, with dates parsed.
export interface AuditFilter {
  readonly actor?: string;
  readonly action?: string;
  readonly outcome?: AuditOutcome;
  readonly targetType?: string;
  readonly targetId?: string;
  // From inclusive, to exclusive, on occurredAt.
  readonly from?: Date;
  readonly to?: Date;
}

export interface AuditFilterQuery {
  actor?: string;
  action?: string;
  outcome?: AuditOutcome;
  targetType?: string;
  targetId?: string;
  from?: string;
  to?: string;
}

export function toAuditFilter(query: AuditFilterQuery): AuditFilter {
  const from = query.from === undefined ? undefined : new Date(query.from);
  const to = query.to === undefined ? undefined : new Date(query.to);
  if (from && to && to < from) {
    throw new ValidationError('INVALID_QUERY', 'Invalid query parameter — to: must not be before from', {
      issues: [{ field: 'to', message: 'must not be before from' }],
    });
  }
  return {
    actor: query.actor,
    action: query.action,
    outcome: query.outcome,
    targetType: query.targetType,
    targetId: query.targetId,
    from,
    to,
  };
}
