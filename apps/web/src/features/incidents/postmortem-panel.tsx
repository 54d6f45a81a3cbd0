import type { Incident } from '@flightdeck/contracts';
import { CircleCheck, Circle } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { Field, InlineError } from '../../components/ui/field';
import { describeError } from '../../lib/errors';
import { useCan, useMe } from '../auth/use-auth';
import { useAddActionItem, useUpdateActionItem, useUpdateIncident } from './incident-queries';

// Impact, root cause and action items with owners: what the review needs.
export function PostmortemPanel({ incident }: { incident: Incident }) {
  const canWrite = useCan('deployments:write');
  return (
    <section className="incident-panel" aria-label="Postmortem">
      <h2 className="incident-panel-title">Postmortem</h2>
      <PostmortemFields incident={incident} canWrite={canWrite} />
      <h3 className="incident-subtitle">Action items</h3>
      <ul className="incident-actions">
        {incident.actionItems.map((item) => (
          <ActionItem key={item.id} incidentId={incident.id} item={item} canWrite={canWrite} />
        ))}
        {incident.actionItems.length === 0 ? <li className="muted">None yet.</li> : null}
      </ul>
      {canWrite ? <AddActionItem incidentId={incident.id} /> : null}
    </section>
  );
}

function PostmortemFields({ incident, canWrite }: { incident: Incident; canWrite: boolean }) {
  const update = useUpdateIncident(incident.id);
  const [impact, setImpact] = useState(incident.impact);
  const [rootCause, setRootCause] = useState(incident.rootCause);
  const changed = impact !== incident.impact || rootCause !== incident.rootCause;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({ impact, rootCause });
  };
  return (
    <form className="form-stack" onSubmit={submit}>
      <Field label="Impact">
        {(ids) => (
          <textarea
            {...ids}
            className="input"
            rows={2}
            readOnly={!canWrite}
            value={impact}
            onChange={(e) => setImpact(e.target.value)}
          />
        )}
      </Field>
      <Field label="Root cause">
        {(ids) => (
          <textarea
            {...ids}
            className="input"
            rows={2}
            readOnly={!canWrite}
            value={rootCause}
            onChange={(e) => setRootCause(e.target.value)}
          />
        )}
      </Field>
      {update.error ? (
        <InlineError title="Not saved">{describeError(update.error).message}</InlineError>
      ) : null}
      {canWrite ? (
        <button type="submit" className="button button-small" disabled={!changed || update.isPending}>
          {update.isPending ? 'Saving…' : 'Save postmortem'}
        </button>
      ) : null}
    </form>
  );
}

function ActionItem({
  incidentId,
  item,
  canWrite,
}: {
  incidentId: string;
  item: Incident['actionItems'][number];
  canWrite: boolean;
}) {
  const update = useUpdateActionItem(incidentId);
  const done = item.state === 'done';
  return (
    <li className="incident-action" data-state={item.state}>
      <label>
        <input
          type="checkbox"
          checked={done}
          disabled={!canWrite || update.isPending}
          onChange={() => update.mutate({ itemId: item.id, state: done ? 'open' : 'done' })}
        />{' '}
        {done ? <CircleCheck size={13} aria-hidden /> : <Circle size={13} aria-hidden />} {item.title}
      </label>
      <span className="muted">
        {' '}
        · {item.owner ? item.owner.name : 'no owner'} · {done ? 'done' : 'open'}
      </span>
    </li>
  );
}

function AddActionItem({ incidentId }: { incidentId: string }) {
  const add = useAddActionItem(incidentId);
  const me = useMe();
  const [title, setTitle] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (title.trim().length < 3) return;
    // Whoever writes it owns it until someone takes it over.
    add.mutate({ title, ownerId: me.id }, { onSuccess: () => setTitle('') });
  };
  return (
    <form className="incident-add-action" onSubmit={submit}>
      <input
        className="input"
        aria-label="New action item"
        placeholder="New action item"
        value={title}
        maxLength={300}
        onChange={(event) => setTitle(event.target.value)}
      />
      <button
        type="submit"
        className="button button-small"
        disabled={add.isPending || title.trim().length < 3}
      >
        Add
      </button>
      {add.error ? <InlineError title="Not added">{describeError(add.error).message}</InlineError> : null}
    </form>
  );
}
