import type { DeploymentEvent } from '@flightdeck/contracts';
import { ArrowRight } from 'lucide-react';
import { formatTimestamp } from '../../lib/time';
import { DeploymentStatusPill } from '../status/deployment-status-pill';
import { durationBetween } from './duration';

// The event log oldest first, each step with the time it took since the one before.
export function DeploymentTimeline({ events }: { events: DeploymentEvent[] }) {
  const ordered = [...events].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
  if (ordered.length === 0) return <p className="muted">No events recorded yet.</p>;
  return (
    <ol className="timeline" aria-label="Deployment events">
      {ordered.map((event, index) => {
        const previous = ordered[index - 1];
        const step = previous ? durationBetween(previous.createdAt, event.createdAt) : null;
        return (
          <li key={event.id} className="timeline-item">
            <span className="timeline-dot" aria-hidden />
            <div className="timeline-body">
              <div className="timeline-head">
                {event.fromStatus ? (
                  <>
                    <DeploymentStatusPill status={event.fromStatus} />
                    <ArrowRight size={13} aria-label="to" className="muted" />
                  </>
                ) : null}
                <DeploymentStatusPill status={event.toStatus} />
                {step ? <span className="timeline-step small tabular">+{step}</span> : null}
              </div>
              {event.message ? <p className="timeline-message">{event.message}</p> : null}
              <p className="muted small">
                {event.actor} · <time dateTime={event.createdAt}>{formatTimestamp(event.createdAt)}</time>
              </p>
            </div>
          </li>
        );
      })}
    </ol>
  );
}
