import { CircleAlert, Plus, ShieldCheck, Trash2 } from 'lucide-react';
import { useEffect, useRef } from 'react';
import type { FieldErrors } from '../../lib/form-errors';
import { checkField, rowId, type CheckRow } from './github-actions-model';

interface RequiredChecksEditorProps {
  rows: CheckRow[];
  onChange: (rows: CheckRow[]) => void;
  errors: FieldErrors;
}

const HINT_ID = 'required-checks-hint';

// Names of GitHub check runs or commit status contexts; saved with the rest of the settings.
export function RequiredChecksEditor({ rows, onChange, errors }: RequiredChecksEditorProps) {
  const list = useRef<HTMLDivElement>(null);
  const added = useRef(false);
  // Focus a new row once it is rendered, so typing goes on from the keyboard.
  useEffect(() => {
    if (!added.current) return;
    added.current = false;
    list.current?.querySelector<HTMLInputElement>('li:last-child input')?.focus();
  }, [rows.length]);
  const add = () => {
    added.current = true;
    onChange([...rows, { id: rowId(), name: '' }]);
  };
  return (
    <fieldset className="fieldset required-checks" aria-describedby={HINT_ID}>
      <legend className="field-label">Required CI checks</legend>
      <p id={HINT_ID} className="field-hint">
        A release deploys here only when each of these GitHub check runs or commit status contexts passed on
        its commit (rollbacks are exempt). Use the name GitHub shows, such as <code>build</code> or{' '}
        <code>ci/e2e</code>.
      </p>
      <div ref={list}>
        {rows.length === 0 ? (
          <p className="muted small">No checks required: CI does not hold deployments here.</p>
        ) : (
          <ul className="required-checks-list">
            {rows.map((row, index) => {
              const error = errors[checkField(index)];
              const errorId = `required-check-${row.id}-error`;
              return (
                <li key={row.id} className="required-checks-row">
                  <ShieldCheck size={15} aria-hidden className="required-checks-icon" />
                  <input
                    className="input mono"
                    aria-label={`Required check ${index + 1}`}
                    aria-invalid={error ? true : undefined}
                    aria-describedby={error ? errorId : undefined}
                    autoComplete="off"
                    spellCheck={false}
                    placeholder="build"
                    value={row.name}
                    onChange={(event) =>
                      onChange(rows.map((r) => (r.id === row.id ? { ...r, name: event.target.value } : r)))
                    }
                  />
                  <button
                    type="button"
                    className="button button-small button-ghost"
                    aria-label={`Remove required check ${index + 1}${row.name.trim() ? ` (${row.name.trim()})` : ''}`}
                    onClick={() => onChange(rows.filter((r) => r.id !== row.id))}
                  >
                    <Trash2 size={14} aria-hidden /> Remove
                  </button>
                  {error ? (
                    <p id={errorId} className="field-error required-checks-error">
                      <CircleAlert size={13} aria-hidden />
                      {error}
                    </p>
                  ) : null}
                </li>
              );
            })}
          </ul>
        )}
      </div>
      {errors.requiredChecks ? (
        <p className="field-error">
          <CircleAlert size={13} aria-hidden />
          {errors.requiredChecks}
        </p>
      ) : null}
      <div>
        <button type="button" className="button button-small" onClick={add}>
          <Plus size={14} aria-hidden /> Add check
        </button>
      </div>
    </fieldset>
  );
}

// For those who may not change the stage: the same list as text.
export function RequiredChecksList({ names }: { names: string[] }) {
  return names.length === 0 ? (
    <p className="muted small">No checks required: CI does not hold deployments here.</p>
  ) : (
    <ul className="required-checks-list" aria-label="Required CI checks">
      {names.map((name) => (
        <li key={name} className="required-checks-row">
          <ShieldCheck size={15} aria-hidden className="required-checks-icon" />
          <code>{name}</code>
        </li>
      ))}
    </ul>
  );
}
