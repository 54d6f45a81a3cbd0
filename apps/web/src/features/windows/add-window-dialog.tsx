import { ApiError, createDeploymentWindowBodySchema } from '@flightdeck/contracts';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Field } from '../../components/ui/field';
import { FormDialog } from '../../components/ui/form-dialog';
import { TextField } from '../../components/ui/text-field';
import { fieldErrorsFromApi, fieldErrorsFromZod, type FieldErrors } from '../../lib/form-errors';
import { browserTimeZone } from '../freezes/freeze-model';
import { environmentListQueryOptions } from '../freezes/freeze-queries';
import { describeCron, describeSchedule } from './window-model';
import { useCreateWindow, type CreateWindowBody } from './window-queries';

interface AddWindowDialogProps {
  // Preselected environment slug, if the dialog was opened for one.
  environment?: string;
  onClose: () => void;
}

const FORM_ID = 'add-window-form';

// The fields the server may name, so anything else shows as a banner instead of being lost.
const FIELDS = ['environment', 'name', 'cron', 'durationMinutes', 'timezone'];

interface Preset {
  id: string;
  label: string;
  cron: string;
  durationMinutes: number;
}

const PRESETS: readonly Preset[] = [
  {
    id: 'office-hours',
    label: 'Office hours: Mon–Fri 09:00 → 17:00',
    cron: '0 9 * * 1-5',
    durationMinutes: 8 * 60,
  },
  {
    id: 'mornings',
    label: 'Weekday mornings: Mon–Thu 10:00 → 12:00',
    cron: '0 10 * * 1-4',
    durationMinutes: 120,
  },
  { id: 'daytime', label: 'Every day 08:00 → 20:00', cron: '0 8 * * *', durationMinutes: 12 * 60 },
];

export function AddWindowDialog({ environment: initialEnvironment = '', onClose }: AddWindowDialogProps) {
  const [environment, setEnvironment] = useState(initialEnvironment);
  const [name, setName] = useState('');
  const [presetId, setPresetId] = useState(PRESETS[0]!.id);
  const [cron, setCron] = useState(PRESETS[0]!.cron);
  const [duration, setDuration] = useState(String(PRESETS[0]!.durationMinutes));
  const [timezone, setTimezone] = useState(browserTimeZone);
  const [errors, setErrors] = useState<FieldErrors>({});
  const environments = useQuery(environmentListQueryOptions());
  const create = useCreateWindow();

  const applyPreset = (id: string) => {
    setPresetId(id);
    const preset = PRESETS.find((entry) => entry.id === id);
    if (preset) {
      setCron(preset.cron);
      setDuration(String(preset.durationMinutes));
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const minutes = Number(duration);
    const body: CreateWindowBody = {
      environment,
      name,
      cron,
      durationMinutes: minutes,
      timezone: timezone.trim(),
    };
    // The contract's own schema checks first, so the messages match the server's.
    const parsed = createDeploymentWindowBodySchema.safeParse(body);
    const found = parsed.success ? {} : fieldErrorsFromZod(parsed.error);
    if (!environment) found.environment = 'Pick an environment.';
    if (!Number.isInteger(minutes) || minutes < 1) {
      found.durationMinutes = 'A whole number of minutes, at least 1.';
    }
    if (cron.trim().split(/\s+/).length !== 5) {
      found.cron = 'Five fields: minute hour day-of-month month day-of-week.';
    }
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
  const minutes = Number(duration);
  const preview =
    describeCron(cron) && Number.isInteger(minutes) && minutes > 0
      ? describeSchedule({ cron, durationMinutes: minutes, timezone: timezone.trim() || '?' })
      : null;

  return (
    <FormDialog
      open
      title="Add a deployment window"
      onClose={onClose}
      formId={FORM_ID}
      onSubmit={submit}
      submitLabel="Add window"
      pendingLabel="Adding…"
      pending={create.isPending}
      error={unexpected}
      errorTitle="Not added"
    >
      <p className="dialog-lead">
        Once an environment has a window, deployments there start only while one of its windows is open;
        outside them they wait.
      </p>
      <Field
        label="Environment"
        error={errors.environment}
        hint={environments.error ? 'Environments could not be loaded.' : undefined}
      >
        {(ids) => (
          <select
            {...ids}
            className="input select"
            value={environment}
            onChange={(event) => setEnvironment(event.target.value)}
          >
            <option value="">{environments.isPending ? 'Loading…' : 'Choose an environment'}</option>
            {(environments.data?.items ?? []).map((entry) => (
              <option key={entry.id} value={entry.slug}>
                {entry.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <TextField
        label="Name"
        hint="What people see when a deployment waits for it, e.g. “Office hours”."
        error={errors.name}
        autoComplete="off"
        maxLength={100}
        value={name}
        onChange={(event) => setName(event.target.value)}
      />
      <Field label="Schedule">
        {(ids) => (
          <select
            {...ids}
            className="input select"
            value={presetId}
            onChange={(event) => applyPreset(event.target.value)}
          >
            {PRESETS.map((preset) => (
              <option key={preset.id} value={preset.id}>
                {preset.label}
              </option>
            ))}
            <option value="custom">Custom (cron)</option>
          </select>
        )}
      </Field>
      <div className="window-pair">
        <TextField
          label="Opens (cron)"
          hint="minute hour day month weekday, e.g. 0 9 * * 1-5"
          inputClassName="mono"
          error={errors.cron}
          autoComplete="off"
          spellCheck={false}
          value={cron}
          onChange={(event) => {
            setCron(event.target.value);
            setPresetId('custom');
          }}
        />
        <TextField
          label="Stays open (minutes)"
          type="number"
          min={1}
          max={10080}
          error={errors.durationMinutes}
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
        error={errors.timezone}
        autoComplete="off"
        spellCheck={false}
        list="window-time-zones"
        value={timezone}
        onChange={(event) => setTimezone(event.target.value)}
      />
      <datalist id="window-time-zones">
        {supportedTimeZones().map((zone) => (
          <option key={zone} value={zone} />
        ))}
      </datalist>
      <p className="muted window-preview" aria-live="polite">
        {preview ? `Open ${preview}.` : null}
      </p>
    </FormDialog>
  );
}

function supportedTimeZones(): string[] {
  const intl = Intl as { supportedValuesOf?: (key: string) => string[] };
  return intl.supportedValuesOf?.('timeZone') ?? [];
}
