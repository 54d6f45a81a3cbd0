import { Filter, X } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import type { AuditFilters } from './use-audit-filters';

// `<input type="datetime-local">` speaks local wall time without a zone; the API wants ISO with an offset.
export function localInputToIso(value: string): string {
  if (!value) return '';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString();
}

export function isoToLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

// Suggestions only: the API matches an action and its dotted children (`auth` finds `auth.login`).
const KNOWN_ACTIONS = [
  'auth',
  'auth.login',
  'auth.login.failed',
  'auth.logout',
  'access.denied',
  'setup.complete',
  'user',
  'user.create',
  'user.password.change',
  'token',
  'token.create',
  'token.revoke',
  'team',
  'team.create',
  'team.member.set',
  'team.member.remove',
  'environment.grant',
];

interface AuditFilterFormProps {
  filters: AuditFilters;
  onApply: (filters: AuditFilters) => void;
}

// Remount (key) when the URL changes so the fields always show what the table shows.
export function AuditFilterForm({ filters, onApply }: AuditFilterFormProps) {
  const [draft, setDraft] = useState({
    actor: filters.actor ?? '',
    action: filters.action ?? '',
    outcome: filters.outcome ?? '',
    targetType: filters.targetType ?? '',
    targetId: filters.targetId ?? '',
    from: isoToLocalInput(filters.from),
    to: isoToLocalInput(filters.to),
  });
  const set =
    (field: keyof typeof draft) => (event: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
      setDraft((previous) => ({ ...previous, [field]: event.target.value }));

  const [rangeError, setRangeError] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const from = localInputToIso(draft.from);
    const to = localInputToIso(draft.to);
    if (from && to && to < from) {
      setRangeError('“To” must not be before “From”.');
      return;
    }
    setRangeError(null);
    onApply({ ...draft, from, to });
  };
  const active = Object.values(filters).some(Boolean);

  return (
    <form className="audit-filters" role="search" aria-label="Filter audit events" onSubmit={submit}>
      <label className="filter-field">
        <span className="filter-label">Actor</span>
        <input
          className="input"
          value={draft.actor}
          onChange={set('actor')}
          placeholder="Name, e-mail or id"
        />
      </label>
      <label className="filter-field">
        <span className="filter-label">Action</span>
        <input
          className="input mono"
          value={draft.action}
          onChange={set('action')}
          placeholder="e.g. auth or token.create"
          spellCheck={false}
          list="audit-actions"
        />
        <datalist id="audit-actions">
          {KNOWN_ACTIONS.map((action) => (
            <option key={action} value={action} />
          ))}
        </datalist>
      </label>
      <label className="filter-field">
        <span className="filter-label">Outcome</span>
        <select className="input select" value={draft.outcome} onChange={set('outcome')}>
          <option value="">Any</option>
          <option value="success">Success</option>
          <option value="denied">Denied</option>
          <option value="failure">Failed</option>
        </select>
      </label>
      <label className="filter-field">
        <span className="filter-label">Target type</span>
        <input
          className="input mono"
          value={draft.targetType}
          onChange={set('targetType')}
          placeholder="e.g. stage"
          spellCheck={false}
        />
      </label>
      <label className="filter-field">
        <span className="filter-label">Target id</span>
        <input className="input mono" value={draft.targetId} onChange={set('targetId')} spellCheck={false} />
      </label>
      <label className="filter-field">
        <span className="filter-label">From</span>
        <input className="input" type="datetime-local" value={draft.from} onChange={set('from')} />
      </label>
      <label className="filter-field">
        <span className="filter-label">To</span>
        <input className="input" type="datetime-local" value={draft.to} onChange={set('to')} />
      </label>
      {rangeError ? (
        <p className="field-error filter-error" role="alert">
          {rangeError}
        </p>
      ) : null}
      <div className="filter-actions">
        <button type="submit" className="button button-primary">
          <Filter size={14} aria-hidden />
          Apply filters
        </button>
        {active ? (
          <button type="button" className="button button-ghost" onClick={() => onApply({})}>
            <X size={14} aria-hidden />
            Clear
          </button>
        ) : null}
      </div>
    </form>
  );
}
