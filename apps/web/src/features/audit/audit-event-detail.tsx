import type { AuditEvent } from '@flightdeck/contracts';
import { useMemo, useState } from 'react';
import { diffStates } from './audit-diff';

export function AuditEventDetail({ event }: { event: AuditEvent }) {
  const rows = useMemo(() => diffStates(event.before, event.after), [event.before, event.after]);
  const changed = rows.filter((row) => row.kind !== 'same');
  const [showAll, setShowAll] = useState(false);
  const visible = showAll ? rows : changed;
  const hasStates = event.before !== null || event.after !== null;

  return (
    <div className="audit-detail">
      <dl className="detail-grid">
        <dt>Event</dt>
        <dd className="mono">#{event.id}</dd>
        <dt>Actor</dt>
        <dd>
          {event.actor.name}{' '}
          <span className="muted">
            ({event.actor.type}
            {event.actor.id ? ` · ${event.actor.id}` : ''})
          </span>
        </dd>
        <dt>User agent</dt>
        <dd className="small">{event.userAgent ?? <span className="muted">—</span>}</dd>
        <dt>Hash</dt>
        <dd className="mono small hash">{event.hash}</dd>
        <dt>Previous hash</dt>
        <dd className="mono small hash">{event.prevHash}</dd>
      </dl>
      {hasStates ? (
        <div className="diff">
          <div className="diff-header">
            <h3 className="diff-title">
              {event.before === null
                ? 'Created'
                : event.after === null
                  ? 'Removed'
                  : `Changes (${changed.length})`}
            </h3>
            {rows.length !== changed.length ? (
              <button
                type="button"
                className="button button-small button-ghost"
                onClick={() => setShowAll((value) => !value)}
              >
                {showAll ? 'Only changes' : `Show all ${rows.length} fields`}
              </button>
            ) : null}
          </div>
          {visible.length === 0 ? (
            <p className="muted small">No field changed.</p>
          ) : (
            <table className="diff-table">
              <thead>
                <tr>
                  <th scope="col">Field</th>
                  <th scope="col">Before</th>
                  <th scope="col">After</th>
                </tr>
              </thead>
              <tbody>
                {visible.map((row) => (
                  <tr key={row.path} data-kind={row.kind}>
                    <th scope="row" className="mono">
                      {row.path}
                    </th>
                    <td className="mono diff-before">{row.before ?? <span className="muted">—</span>}</td>
                    <td className="mono diff-after">{row.after ?? <span className="muted">—</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <details className="raw-json">
            <summary>Raw JSON</summary>
            <div className="raw-json-columns">
              <pre aria-label="Before">{JSON.stringify(event.before, null, 2)}</pre>
              <pre aria-label="After">{JSON.stringify(event.after, null, 2)}</pre>
            </div>
          </details>
        </div>
      ) : (
        <p className="muted small">This event records no before or after state.</p>
      )}
    </div>
  );
}
