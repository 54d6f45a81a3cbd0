import {
  ApiError,
  createSeverityBodySchema,
  updateSeverityBodySchema,
  type IncidentSeverity,
} from '@flightdeck/contracts';
import { useState, type FormEvent } from 'react';
import { Field } from '../../components/ui/field';
import { FormDialog } from '../../components/ui/form-dialog';
import { TextField } from '../../components/ui/text-field';
import { fieldErrorsFromApi, fieldErrorsFromZod, type FieldErrors } from '../../lib/form-errors';
import { useSaveSeverity } from './severity-queries';

interface SeverityDialogProps {
  // null: a new severity.
  severity: IncidentSeverity | null;
  onClose: () => void;
}

// An empty box is "missing", not 0, so the schema says what is wrong with it.
function numberOrUndefined(value: string): number | undefined {
  return value.trim() === '' ? undefined : Number(value);
}

// The number boxes in plain words rather than the schema's ("expected number, received undefined").
const NUMBER_MESSAGES = {
  rank: 'Enter a whole number from 0 to 100 (0 is the most severe).',
  expectedResponseMinutes: 'Enter a number of minutes, from 1 to 10080 (a week).',
} as const;

function plainNumberErrors(errors: FieldErrors): FieldErrors {
  const result = { ...errors };
  for (const field of Object.keys(NUMBER_MESSAGES) as (keyof typeof NUMBER_MESSAGES)[]) {
    if (result[field]) result[field] = NUMBER_MESSAGES[field];
  }
  return result;
}

// A taken key or rank (409) names its field in the details: say it by that field, not above the form.
function takenFieldErrors(error: unknown): FieldErrors {
  if (!(error instanceof ApiError) || error.status !== 409) return {};
  const details = error.details as { field?: unknown; issues?: { message?: unknown }[] } | undefined;
  const field = details?.field;
  const message = details?.issues?.[0]?.message;
  if ((field !== 'key' && field !== 'rank') || typeof message !== 'string') return {};
  return { [field]: `${message.charAt(0).toUpperCase()}${message.slice(1)}.` };
}

export function SeverityDialog({ severity, onClose }: SeverityDialogProps) {
  const [key, setKey] = useState(severity?.key ?? '');
  const [rank, setRank] = useState(severity ? String(severity.rank) : '');
  const [name, setName] = useState(severity?.name ?? '');
  const [description, setDescription] = useState(severity?.description ?? '');
  const [minutes, setMinutes] = useState(severity ? String(severity.expectedResponseMinutes) : '');
  const [freezes, setFreezes] = useState(severity?.freezesProduction ?? false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const save = useSaveSeverity(severity?.key ?? null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const fields = {
      name,
      description,
      expectedResponseMinutes: numberOrUndefined(minutes),
      freezesProduction: freezes,
    };
    // The contract's own schemas check first, so the messages match the server's.
    const parsed = severity
      ? updateSeverityBodySchema.safeParse(fields)
      : createSeverityBodySchema.safeParse({ ...fields, key, rank: numberOrUndefined(rank) });
    // When editing, an emptied box would otherwise mean "leave it as it was".
    const emptied: FieldErrors =
      minutes.trim() === '' ? { expectedResponseMinutes: NUMBER_MESSAGES.expectedResponseMinutes } : {};
    const found = {
      ...(parsed.success ? {} : plainNumberErrors(fieldErrorsFromZod(parsed.error))),
      ...emptied,
    };
    setErrors(found);
    if (!parsed.success || Object.keys(found).length) return;
    save.mutate(parsed.data, {
      onSuccess: onClose,
      onError: (error) => setErrors({ ...fieldErrorsFromApi(error), ...takenFieldErrors(error) }),
    });
  };

  const shownByField =
    save.error instanceof ApiError &&
    (save.error.status === 400 || save.error.status === 409) &&
    Object.keys(errors).length;
  return (
    <FormDialog
      open
      title={severity ? `Edit severity ${severity.key}` : 'Add a severity'}
      onClose={onClose}
      formId="severity-form"
      onSubmit={submit}
      submitLabel={severity ? 'Save severity' : 'Add severity'}
      pendingLabel="Saving…"
      pending={save.isPending}
      error={shownByField ? null : save.error}
      errorTitle="Severity not saved"
    >
      {severity ? null : (
        <>
          <TextField
            label="Key"
            hint="What people say: P1, SEV2. Cannot be changed later."
            error={errors.key}
            autoComplete="off"
            maxLength={16}
            value={key}
            onChange={(event) => setKey(event.target.value)}
          />
          <TextField
            label="Rank"
            hint="0 is the most severe. Cannot be changed later."
            error={errors.rank}
            type="number"
            inputMode="numeric"
            min={0}
            max={100}
            value={rank}
            onChange={(event) => setRank(event.target.value)}
          />
        </>
      )}
      <TextField
        label="Name"
        error={errors.name}
        autoComplete="off"
        maxLength={60}
        value={name}
        onChange={(event) => setName(event.target.value)}
      />
      <Field label="Description" hint="When to use it." error={errors.description}>
        {(ids) => (
          <textarea
            {...ids}
            className="input"
            rows={2}
            maxLength={500}
            value={description}
            onChange={(event) => setDescription(event.target.value)}
          />
        )}
      </Field>
      <TextField
        label="Expected response (minutes)"
        hint="An incident not acknowledged within this time shows as overdue."
        error={errors.expectedResponseMinutes}
        type="number"
        inputMode="numeric"
        min={1}
        max={10_080}
        value={minutes}
        onChange={(event) => setMinutes(event.target.value)}
      />
      <label className="check-row">
        <input type="checkbox" checked={freezes} onChange={(event) => setFreezes(event.target.checked)} />
        Freezes production: while an incident of this severity is open, promotions of its services to
        production wait
      </label>
      {errors.freezesProduction ? <p className="field-error">{errors.freezesProduction}</p> : null}
    </FormDialog>
  );
}
