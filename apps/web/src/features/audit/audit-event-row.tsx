import type { AuditEvent } from '@flightdeck/contracts';
import { ChevronRight } from 'lucide-react';
import { Fragment, useId, useState } from 'react';
import { StatusPill } from '../../components/ui/status-pill';
import { formatTimestamp } from '../../lib/time';
import { ACTOR_META, OUTCOME_META } from './audit-meta';
import { AuditEventDetail } from './audit-event-detail';

const COLUMNS = 8;

export function AuditEventRow({ event }: { event: AuditEvent }) {
  const [open, setOpen] = useState(false);
  const detailId = useId();
  const outcome = OUTCOME_META[event.outcome];
  const actor = ACTOR_META[event.actor.type];
  return (
    <Fragment>
      <tr data-expanded={open || undefined} data-outcome={event.outcome}>
        <td className="cell-toggle">
          <button
            type="button"
            className="icon-button"
            aria-expanded={open}
            aria-controls={detailId}
            onClick={() => setOpen((value) => !value)}
          >
            <ChevronRight size={14} aria-hidden className="chevron" />
            <span className="sr-only">Details of event #{event.id}</span>
          </button>
        </td>
        <td className="nowrap">
          <time dateTime={event.occurredAt} title={formatTimestamp(event.occurredAt)}>
            {formatTimestamp(event.occurredAt)}
          </time>
        </td>
        <td>
          <span className="actor" title={actor.label}>
            <actor.Icon size={14} aria-hidden />
            <span className="sr-only">{actor.label}: </span>
            {event.actor.name}
          </span>
        </td>
        <td>
          <code className="code-plain">{event.action}</code>
        </td>
        <td>
          <StatusPill tone={outcome.tone} Icon={outcome.Icon} label={outcome.label} />
        </td>
        <td>
          {event.target ? (
            <span className="cell-stack">
              <span className="small">{event.target.type}</span>
              {event.target.id ? (
                <span className="mono small muted truncate target-id">{event.target.id}</span>
              ) : null}
            </span>
          ) : (
            <span className="muted">—</span>
          )}
        </td>
        <td className="cell-reason">{event.reason ?? <span className="muted">—</span>}</td>
        <td className="mono small">{event.ip ?? <span className="muted">—</span>}</td>
      </tr>
      {open ? (
        <tr className="detail-row" id={detailId}>
          <td colSpan={COLUMNS}>
            <AuditEventDetail event={event} />
          </td>
        </tr>
      ) : null}
    </Fragment>
  );
}

export const AUDIT_COLUMNS = COLUMNS;
