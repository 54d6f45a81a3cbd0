import type { IncidentTimeline as Timeline } from '@flightdeck/contracts';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { InlineError } from '../../components/ui/field';
import { describeError } from '../../lib/errors';
import { formatTimestamp } from '../../lib/time';
import { useCan } from '../auth/use-auth';
import { deploymentPath } from '../service/service-paths';
import { TIMELINE_META } from './incident-meta';
import { useAddNote } from './incident-queries';

// The timeline, oldest first, as a vertical line of entries; people's notes stand out from the
// automatic entries derived from the affected stages.
export function IncidentTimeline({ incidentId, timeline }: { incidentId: string; timeline: Timeline }) {
  return (
    <section className="incident-panel" aria-label="Timeline">
      <h2 className="incident-panel-title">Timeline</h2>
      <p className="muted">
        Notes and status changes, with deployments, rollbacks, approvals, freezes, locks, holds and health on
        the affected stages from {formatTimestamp(timeline.from)}.
      </p>
      <ol className="incident-timeline">
        {timeline.items.map((item, index) => {
          const { Icon, label, tone } = TIMELINE_META[item.kind];
          return (
            <li
              key={`${item.at}-${index}`}
              className="incident-entry"
              data-kind={item.kind}
              data-manual={item.manual || undefined}
            >
              <span className="incident-entry-icon" data-tone={tone}>
                <Icon size={14} aria-hidden />
              </span>
              <div className="incident-entry-body">
                <div className="incident-entry-meta">
                  <span className="incident-entry-kind">{label}</span>
                  <time dateTime={item.at}>{formatTimestamp(item.at)}</time>
                  <span className="muted">{item.actor}</span>
                </div>
                <p className="incident-entry-text">
                  {item.deploymentId ? (
                    <Link to={deploymentPath(item.deploymentId)}>{item.text}</Link>
                  ) : (
                    item.text
                  )}
                </p>
              </div>
            </li>
          );
        })}
      </ol>
      <NoteForm incidentId={incidentId} />
    </section>
  );
}

function NoteForm({ incidentId }: { incidentId: string }) {
  const canWrite = useCan('deployments:write');
  const add = useAddNote(incidentId);
  const [body, setBody] = useState('');
  if (!canWrite) return null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!body.trim()) return;
    add.mutate(body, { onSuccess: () => setBody('') });
  };
  return (
    <form className="incident-note-form" onSubmit={submit}>
      <label className="field-label" htmlFor="incident-note">
        Add a note
      </label>
      <textarea
        id="incident-note"
        className="input"
        rows={2}
        maxLength={10_000}
        value={body}
        onChange={(event) => setBody(event.target.value)}
      />
      {add.error ? <InlineError title="Not added">{describeError(add.error).message}</InlineError> : null}
      <button type="submit" className="button" disabled={add.isPending || !body.trim()}>
        {add.isPending ? 'Adding…' : 'Add note'}
      </button>
    </form>
  );
}
