import type { PolicyWindow, PolicyWindowInput } from '@flightdeck/contracts';
import { CalendarCheck, CalendarX, Plus, Trash2 } from 'lucide-react';
import { Field } from '../../components/ui/field';
import { TextField } from '../../components/ui/text-field';
import type { FieldErrors } from '../../lib/form-errors';

// One row of the editor: numbers stay text until submit, so a half-typed value is not lost.
export interface WindowRow {
  kind: PolicyWindowInput['kind'];
  cron: string;
  durationMinutes: string;
  timeZone: string;
  label: string;
}

export function rowsFromPolicy(windows: readonly PolicyWindow[]): WindowRow[] {
  return windows.map((window) => ({
    kind: window.kind,
    cron: window.cron,
    durationMinutes: String(window.durationMinutes),
    timeZone: window.timeZone,
    label: window.label ?? '',
  }));
}

export function windowsFromRows(rows: readonly WindowRow[]): PolicyWindowInput[] {
  return rows.map((row) => ({
    kind: row.kind,
    cron: row.cron.trim(),
    durationMinutes: row.durationMinutes.trim() === '' ? Number.NaN : Number(row.durationMinutes),
    timeZone: row.timeZone.trim(),
    label: row.label.trim() === '' ? null : row.label.trim(),
  }));
}

const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

interface PolicyWindowsEditorProps {
  rows: WindowRow[];
  onChange: (rows: WindowRow[]) => void;
  errors: FieldErrors;
}

// Allow and deny windows of a policy: with any allow window deploys start only inside one; never
// inside a deny window. Rollbacks ignore both.
export function PolicyWindowsEditor({ rows, onChange, errors }: PolicyWindowsEditorProps) {
  const patch = (index: number, next: Partial<WindowRow>) =>
    onChange(rows.map((row, i) => (i === index ? { ...row, ...next } : row)));
  const error = (index: number, field: string) => errors[`windows.${index}.${field}`];
  return (
    <fieldset className="check-list policy-windows">
      <legend className="field-label">Deployment windows</legend>
      <p className="field-hint">
        With an allow window, deployments start only inside one; never inside a deny window. Cron has five
        fields (minute hour day month weekday), e.g. <code>0 9 * * 1-4</code> for Monday to Thursday at 09:00.
        Rollbacks ignore windows.
      </p>
      {rows.length === 0 ? <p className="muted small">No windows: deployments may start any time.</p> : null}
      {rows.map((row, index) => {
        const name = `Window ${index + 1}`;
        const Icon = row.kind === 'allow' ? CalendarCheck : CalendarX;
        return (
          <div
            key={index}
            className={`policy-window policy-window-${row.kind}`}
            role="group"
            aria-label={name}
          >
            <div className="policy-window-head">
              <Icon size={16} aria-hidden />
              <Field label={`${name}: kind`} error={error(index, 'kind')}>
                {(ids) => (
                  <select
                    {...ids}
                    className="input select"
                    value={row.kind}
                    onChange={(event) => patch(index, { kind: event.target.value as WindowRow['kind'] })}
                  >
                    <option value="allow">Allow deploys</option>
                    <option value="deny">Deny deploys</option>
                  </select>
                )}
              </Field>
              <button
                type="button"
                className="button button-small button-ghost"
                aria-label={`Remove ${name.toLowerCase()}`}
                onClick={() => onChange(rows.filter((_, i) => i !== index))}
              >
                <Trash2 size={14} aria-hidden /> Remove
              </button>
            </div>
            <div className="policy-grid">
              <TextField
                label={`${name}: cron`}
                autoComplete="off"
                spellCheck={false}
                error={error(index, 'cron')}
                value={row.cron}
                onChange={(event) => patch(index, { cron: event.target.value })}
              />
              <TextField
                label={`${name}: minutes open`}
                inputMode="numeric"
                error={error(index, 'durationMinutes')}
                value={row.durationMinutes}
                onChange={(event) => patch(index, { durationMinutes: event.target.value })}
              />
              <TextField
                label={`${name}: time zone`}
                hint="IANA name, e.g. Europe/Berlin."
                autoComplete="off"
                error={error(index, 'timeZone')}
                value={row.timeZone}
                onChange={(event) => patch(index, { timeZone: event.target.value })}
              />
              <TextField
                label={`${name}: label (optional)`}
                error={error(index, 'label')}
                value={row.label}
                onChange={(event) => patch(index, { label: event.target.value })}
              />
            </div>
          </div>
        );
      })}
      <div>
        <button
          type="button"
          className="button button-small"
          onClick={() =>
            onChange([
              ...rows,
              {
                kind: 'allow',
                cron: '0 9 * * 1-4',
                durationMinutes: '420',
                timeZone: browserZone(),
                label: '',
              },
            ])
          }
        >
          <Plus size={14} aria-hidden /> Add window
        </button>
      </div>
      {errors.windows ? <p className="field-error">{errors.windows}</p> : null}
    </fieldset>
  );
}
