import { ApiError, createFreezeBodySchema, type Freeze } from '@flightdeck/contracts';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Field } from '../../components/ui/field';
import { FormDialog } from '../../components/ui/form-dialog';
import { TextField } from '../../components/ui/text-field';
import { fieldErrorsFromApi, fieldErrorsFromZod, type FieldErrors } from '../../lib/form-errors';
import {
  environmentListQueryOptions,
  serviceListQueryOptions,
  useCreateFreeze,
  type CreateFreezeBody,
} from './freeze-queries';
import {
  browserTimeZone,
  isoToLocalInput,
  localInputToIso,
  RECURRING_PRESETS,
  type RecurringPreset,
} from './freeze-model';

interface CreateFreezeDialogProps {
  onClose: () => void;
}

type Scope = Freeze['scope'];
type Kind = 'oneoff' | 'recurring';

const FORM_ID = 'create-freeze-form';
const HOUR = 3_600_000;

// The fields the server may name, so anything else shows as a banner instead of being lost.
const FIELDS = [
  'scope',
  'environment',
  'service',
  'reason',
  'window.startsAt',
  'window.endsAt',
  'window.cron',
  'window.durationMinutes',
  'window.timezone',
];

export function CreateFreezeDialog({ onClose }: CreateFreezeDialogProps) {
  const [scope, setScope] = useState<Scope>('environment');
  const [environment, setEnvironment] = useState('');
  const [service, setService] = useState('');
  const [reason, setReason] = useState('');
  const [kind, setKind] = useState<Kind>('oneoff');
  const [startsAt, setStartsAt] = useState(() => isoToLocalInput(new Date()));
  const [endsAt, setEndsAt] = useState(() => isoToLocalInput(new Date(Date.now() + 24 * HOUR)));
  const [presetId, setPresetId] = useState<string>(RECURRING_PRESETS[0]!.id);
  const [cron, setCron] = useState(RECURRING_PRESETS[0]!.cron);
  const [duration, setDuration] = useState(String(RECURRING_PRESETS[0]!.durationMinutes));
  const [timezone, setTimezone] = useState(browserTimeZone);
  const [errors, setErrors] = useState<FieldErrors>({});

  const environments = useQuery({ ...environmentListQueryOptions(), enabled: scope === 'environment' });
  const services = useQuery({ ...serviceListQueryOptions(), enabled: scope === 'service' });
  const create = useCreateFreeze();

  const applyPreset = (preset: RecurringPreset | undefined) => {
    setPresetId(preset?.id ?? 'custom');
    if (preset) {
      setCron(preset.cron);
      setDuration(String(preset.durationMinutes));
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const local: FieldErrors = {};
    let window: CreateFreezeBody['window'];
    if (kind === 'oneoff') {
      const start = localInputToIso(startsAt);
      const end = localInputToIso(endsAt);
      if (!start) local['window.startsAt'] = 'Pick when the freeze starts.';
      if (!end) local['window.endsAt'] = 'Pick when the freeze ends.';
      window = { kind: 'oneoff', startsAt: start ?? '', endsAt: end ?? '' };
    } else {
      const minutes = Number(duration);
      if (!Number.isInteger(minutes) || minutes < 1) {
        local['window.durationMinutes'] = 'A whole number of minutes, at least 1.';
      }
      window = { kind: 'recurring', cron, durationMinutes: minutes, timezone: timezone.trim() };
    }
    const body: CreateFreezeBody = {
      scope,
      ...(scope === 'environment' ? { environment: environment || undefined } : {}),
      ...(scope === 'service' ? { service: service || undefined } : {}),
      reason,
      window,
    };
    // The contract's own schema checks first, so the messages match the server's.
    const parsed = createFreezeBodySchema.safeParse(body);
    const found = { ...(parsed.success ? {} : fieldErrorsFromZod(parsed.error)), ...local };
    if (scope === 'environment' && !environment) found.environment = 'Pick an environment.';
    if (scope === 'service' && !service) found.service = 'Pick a service.';
    setErrors(found);
    if (!parsed.success || Object.keys(found).length > 0) return;
    create.mutate(parsed.data, {
      onSuccess: onClose,
      onError: (error) => setErrors(fieldErrorsFromApi(error)),
    });
  };

  const shownByField = Object.keys(errors).some((field) => FIELDS.includes(field));
  const unexpected =
    create.error && !(create.error instanceof ApiError && create.error.status === 400 && shownByField)
      ? create.error
      : null;

  return (
    <FormDialog
      open
      title="Create a freeze"
      onClose={onClose}
      formId={FORM_ID}
      onSubmit={submit}
      submitLabel="Create freeze"
      pendingLabel="Creating…"
      pending={create.isPending}
      error={unexpected}
      errorTitle="Not created"
    >
      <p className="dialog-lead">
        While a freeze is on, no deployment reaches the stages it covers. Everyone sees it on the board.
      </p>
      <Field label="Applies to" error={errors.scope}>
        {(ids) => (
          <select
            {...ids}
            className="input select"
            value={scope}
            onChange={(event) => setScope(event.target.value as Scope)}
          >
            <option value="environment">One environment</option>
            <option value="service">One service</option>
            <option value="all">Everything</option>
          </select>
        )}
      </Field>
      {scope === 'environment' ? (
        <TargetSelect
          label="Environment"
          placeholder="Choose an environment"
          query={environments}
          error={errors.environment}
          value={environment}
          onChange={setEnvironment}
        />
      ) : null}
      {scope === 'service' ? (
        <TargetSelect
          label="Service"
          placeholder="Choose a service"
          query={services}
          error={errors.service}
          value={service}
          onChange={setService}
        />
      ) : null}
      <TextField
        label="Reason"
        hint="Everyone sees it on the board, e.g. “Black Friday: no changes to payments”."
        error={errors.reason}
        autoComplete="off"
        maxLength={500}
        value={reason}
        onChange={(event) => setReason(event.target.value)}
      />
      <fieldset className="freeze-kind">
        <legend className="field-label">When</legend>
        <label className="radio">
          <input
            type="radio"
            name="freeze-kind"
            checked={kind === 'oneoff'}
            onChange={() => setKind('oneoff')}
          />
          Once, from a start to an end
        </label>
        <label className="radio">
          <input
            type="radio"
            name="freeze-kind"
            checked={kind === 'recurring'}
            onChange={() => setKind('recurring')}
          />
          Recurring
        </label>
      </fieldset>
      {kind === 'oneoff' ? (
        <div className="freeze-pair">
          <TextField
            label="Starts"
            type="datetime-local"
            hint={`Your time (${browserTimeZone()})`}
            error={errors['window.startsAt']}
            value={startsAt}
            onChange={(event) => setStartsAt(event.target.value)}
          />
          <TextField
            label="Ends"
            type="datetime-local"
            error={errors['window.endsAt']}
            value={endsAt}
            onChange={(event) => setEndsAt(event.target.value)}
          />
        </div>
      ) : (
        <>
          <Field label="Schedule">
            {(ids) => (
              <select
                {...ids}
                className="input select"
                value={presetId}
                onChange={(event) =>
                  applyPreset(RECURRING_PRESETS.find((preset) => preset.id === event.target.value))
                }
              >
                {RECURRING_PRESETS.map((preset) => (
                  <option key={preset.id} value={preset.id}>
                    {preset.label}
                  </option>
                ))}
                <option value="custom">Custom (cron)</option>
              </select>
            )}
          </Field>
          <div className="freeze-pair">
            <TextField
              label="Starts (cron)"
              hint="minute hour day month weekday, e.g. 0 16 * * 5"
              inputClassName="mono"
              error={errors['window.cron']}
              autoComplete="off"
              spellCheck={false}
              value={cron}
              onChange={(event) => {
                setCron(event.target.value);
                setPresetId('custom');
              }}
            />
            <TextField
              label="Lasts (minutes)"
              type="number"
              min={1}
              max={10080}
              error={errors['window.durationMinutes']}
              value={duration}
              onChange={(event) => {
                setDuration(event.target.value);
                setPresetId('custom');
              }}
            />
          </div>
          <TextField
            label="Time zone"
            hint="The cron runs on this zone's wall clock, daylight saving included."
            error={errors['window.timezone']}
            autoComplete="off"
            spellCheck={false}
            list="freeze-time-zones"
            value={timezone}
            onChange={(event) => setTimezone(event.target.value)}
          />
          <datalist id="freeze-time-zones">
            {supportedTimeZones().map((zone) => (
              <option key={zone} value={zone} />
            ))}
          </datalist>
        </>
      )}
    </FormDialog>
  );
}

function supportedTimeZones(): string[] {
  const intl = Intl as { supportedValuesOf?: (key: string) => string[] };
  return intl.supportedValuesOf?.('timeZone') ?? [];
}

interface TargetSelectProps {
  label: string;
  placeholder: string;
  query: {
    data?: { items: Array<{ id: string; slug: string; name: string }> };
    isPending: boolean;
    error: unknown;
  };
  error: string | undefined;
  value: string;
  onChange: (slug: string) => void;
}

// The environment or service a freeze covers, picked by name and sent by slug.
function TargetSelect({ label, placeholder, query, error, value, onChange }: TargetSelectProps) {
  return (
    <Field label={label} error={error} hint={query.error ? `${label}s could not be loaded.` : undefined}>
      {(ids) => (
        <select
          {...ids}
          className="input select"
          value={value}
          onChange={(event) => onChange(event.target.value)}
        >
          <option value="">{query.isPending ? 'Loading…' : placeholder}</option>
          {(query.data?.items ?? []).map((entry) => (
            <option key={entry.id} value={entry.slug}>
              {entry.name}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
