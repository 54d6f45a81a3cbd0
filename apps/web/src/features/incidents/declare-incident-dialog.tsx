import { ApiError, declareIncidentBodySchema } from '@flightdeck/contracts';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { Field } from '../../components/ui/field';
import { FormDialog } from '../../components/ui/form-dialog';
import { TextField } from '../../components/ui/text-field';
import { fieldErrorsFromApi, fieldErrorsFromZod, type FieldErrors } from '../../lib/form-errors';
import { useIdempotencyKey } from '../../lib/idempotency';
import { incidentPath } from './incident-paths';
import {
  severitiesQueryOptions,
  stageListQueryOptions,
  useDeclareIncident,
  type DeclareIncidentBody,
} from './incident-queries';

interface DeclareIncidentDialogProps {
  onClose: () => void;
  // Declared from a stage or a deployment: those stages are ticked, the deployment is linked as a suspect.
  stageIds?: readonly string[];
  deploymentId?: string;
  // What it was declared from, for the dialog's first line.
  context?: string;
  stageFilter?: string;
}

const FORM_ID = 'declare-incident-form';
const FIELDS = ['title', 'severity', 'summary', 'stageIds'];

export function DeclareIncidentDialog(props: DeclareIncidentDialogProps) {
  const { onClose, stageIds = [], deploymentId, context, stageFilter = '' } = props;
  const navigate = useNavigate();
  const severities = useQuery(severitiesQueryOptions());
  const stages = useQuery(stageListQueryOptions());
  const [title, setTitle] = useState('');
  const [severity, setSeverity] = useState('');
  const [summary, setSummary] = useState('');
  const [chosen, setChosen] = useState<string[]>([...stageIds]);
  const [filter, setFilter] = useState(stageFilter);
  const [errors, setErrors] = useState<FieldErrors>({});
  const declare = useDeclareIncident();
  const keyFor = useIdempotencyKey();
  // The least severe but one by default (P2 in the default scheme): severe ones freeze production.
  const options = severities.data?.items ?? [];
  const selected = severity || options[Math.min(2, options.length - 1)]?.key || '';

  const visible = useMemo(() => {
    const words = filter.trim().toLowerCase();
    return (stages.data?.items ?? [])
      .map((stage) => ({ id: stage.id, name: `${stage.serviceSlug}/${stage.environmentSlug}` }))
      .filter((stage) => chosen.includes(stage.id) || !words || stage.name.includes(words))
      .sort((a, b) => a.name.localeCompare(b.name));
  }, [stages.data, filter, chosen]);

  const toggle = (id: string) =>
    setChosen((current) =>
      current.includes(id) ? current.filter((other) => other !== id) : [...current, id],
    );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body: DeclareIncidentBody = {
      title,
      severity: selected,
      summary,
      stageIds: chosen,
      ...(deploymentId ? { deploymentId } : {}),
    };
    const parsed = declareIncidentBodySchema.safeParse(body);
    setErrors(parsed.success ? {} : fieldErrorsFromZod(parsed.error));
    if (!parsed.success) return;
    declare.mutate(
      { body, idempotencyKey: keyFor(body) },
      {
        onSuccess: (incident) => {
          onClose();
          void navigate(incidentPath(incident.id));
        },
        onError: (error) => setErrors(fieldErrorsFromApi(error)),
      },
    );
  };

  const shownByField = Object.keys(errors).some((field) => FIELDS.some((name) => field.startsWith(name)));
  const unexpected =
    declare.error && !(declare.error instanceof ApiError && declare.error.status === 400 && shownByField)
      ? declare.error
      : null;
  const chosenSeverity = options.find((option) => option.key === selected);

  return (
    <FormDialog
      open
      title="Declare an incident"
      onClose={onClose}
      formId={FORM_ID}
      onSubmit={submit}
      submitLabel="Declare incident"
      pendingLabel="Declaring…"
      pending={declare.isPending}
      error={unexpected}
      errorTitle="Not declared"
    >
      {context ? <p className="muted">{context}</p> : null}
      <TextField
        label="What is wrong"
        value={title}
        onChange={(event) => setTitle(event.target.value)}
        error={errors.title}
        maxLength={200}
        autoFocus
      />
      <Field
        label="Severity"
        error={errors.severity}
        hint={
          chosenSeverity
            ? `${chosenSeverity.description} Respond within ${chosenSeverity.expectedResponseMinutes} minutes.${chosenSeverity.freezesProduction ? ' Freezes promotions to production for the affected services until resolved.' : ''}`
            : undefined
        }
      >
        {(ids) => (
          <select
            {...ids}
            className="input select"
            value={selected}
            onChange={(event) => setSeverity(event.target.value)}
          >
            {options.map((option) => (
              <option key={option.key} value={option.key}>
                {option.key} · {option.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Summary (optional)" error={errors.summary}>
        {(ids) => (
          <textarea
            {...ids}
            className="input"
            rows={3}
            maxLength={10_000}
            value={summary}
            onChange={(event) => setSummary(event.target.value)}
          />
        )}
      </Field>
      <fieldset className="incident-stage-picker" aria-describedby="incident-stages-hint">
        <legend className="field-label">Affected stages ({chosen.length})</legend>
        <input
          className="input"
          type="search"
          placeholder="Filter stages, e.g. checkout"
          aria-label="Filter stages"
          value={filter}
          onChange={(event) => setFilter(event.target.value)}
        />
        <ul className="incident-stage-options">
          {visible.map((stage) => (
            <li key={stage.id}>
              <label>
                <input
                  type="checkbox"
                  checked={chosen.includes(stage.id)}
                  onChange={() => toggle(stage.id)}
                />{' '}
                {stage.name}
              </label>
            </li>
          ))}
        </ul>
        <p id="incident-stages-hint" className="field-hint">
          Their services are the affected services; deployments there show in the timeline.
        </p>
        {errors.stageIds ? <p className="field-error">{errors.stageIds}</p> : null}
      </fieldset>
    </FormDialog>
  );
}
