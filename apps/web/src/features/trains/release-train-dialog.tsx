import type { BoardRow, Environment } from '@flightdeck/contracts';
import { ArrowRight, Lock, Snowflake } from 'lucide-react';
import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { FormDialog } from '../../components/ui/form-dialog';
import { TextField } from '../../components/ui/text-field';
import { useIdempotencyKey } from '../../lib/idempotency';
import { fieldErrorsFromApi, type FieldErrors } from '../../lib/form-errors';
import { trainPath } from '../service/service-paths';
import { useCreateTrain } from './use-create-train';
import './trains.css';

interface ReleaseTrainDialogProps {
  environments: readonly Environment[];
  rows: readonly BoardRow[];
  onClose: () => void;
}

const FORM_ID = 'release-train-form';

// The environment where most services have something ready, the last one on a tie (usually production).
function defaultEnvironment(environments: readonly Environment[], rows: readonly BoardRow[]): string {
  let best: Environment | undefined;
  let bestCount = -1;
  for (const environment of environments) {
    const count = rows.filter((row) => row.cells[environment.id]?.waiting).length;
    if (count >= bestCount) {
      best = environment;
      bestCount = count;
    }
  }
  return best?.id ?? '';
}

function readyServices(rows: readonly BoardRow[], environmentId: string): Set<string> {
  return new Set(rows.filter((row) => row.cells[environmentId]?.waiting).map((row) => row.service.slug));
}

// Several services into one environment in one action: each goes with its own next candidate and its
// own gates; the train page then shows how each one fares.
export function ReleaseTrainDialog({ environments, rows, onClose }: ReleaseTrainDialogProps) {
  const [environmentId, setEnvironmentId] = useState(() => defaultEnvironment(environments, rows));
  const [selected, setSelected] = useState(() => readyServices(rows, environmentId));
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const environment = environments.find((entry) => entry.id === environmentId);
  const candidates = useMemo(() => rows.filter((row) => row.cells[environmentId]), [rows, environmentId]);
  const create = useCreateTrain();
  const keyFor = useIdempotencyKey();
  const navigate = useNavigate();
  const environmentField = useId();

  // showModal() focuses Close; the environment is the first decision.
  useEffect(() => {
    document.getElementById(environmentField)?.focus();
  }, [environmentField]);

  const pickEnvironment = (id: string) => {
    setEnvironmentId(id);
    setSelected(readyServices(rows, id));
    setErrors({});
  };

  const toggle = (slug: string) => {
    setSelected((previous) => {
      const next = new Set(previous);
      if (next.has(slug)) next.delete(slug);
      else next.add(slug);
      return next;
    });
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!environment) return;
    // In board order, which is what the train page lists too.
    const services = candidates.map((row) => row.service.slug).filter((slug) => selected.has(slug));
    if (services.length === 0) {
      setErrors({ services: 'Pick at least one service.' });
      return;
    }
    setErrors({});
    const body = { environment: environment.slug, services, reason: reason.trim() };
    create.mutate(
      { body, idempotencyKey: keyFor(body) },
      {
        onSuccess: (train) => {
          onClose();
          void navigate(trainPath(train.id));
        },
        onError: (error) => setErrors(fieldErrorsFromApi(error)),
      },
    );
  };

  const unexpected = create.error && !errors.services && !errors.reason ? create.error : null;
  const count = candidates.filter((row) => selected.has(row.service.slug)).length;

  return (
    <FormDialog
      open
      title="Release train"
      onClose={onClose}
      formId={FORM_ID}
      onSubmit={submit}
      submitLabel={
        environment
          ? `Start train: ${count} ${count === 1 ? 'service' : 'services'} to ${environment.name}`
          : 'Start train'
      }
      pendingLabel="Starting…"
      pending={create.isPending}
      error={unexpected}
      errorTitle="The train did not start"
    >
      <p className="dialog-lead">
        Each service moves to its next candidate and passes its own gates; services that cannot go are listed
        on the train page with the reason.
      </p>
      <div className="field">
        <label htmlFor={environmentField} className="field-label">
          Target environment
        </label>
        <select
          id={environmentField}
          className="input select"
          value={environmentId}
          disabled={create.isPending}
          onChange={(event) => pickEnvironment(event.target.value)}
        >
          {environments.map((entry) => (
            <option key={entry.id} value={entry.id}>
              {entry.name}
            </option>
          ))}
        </select>
      </div>
      <fieldset
        className="train-services"
        aria-describedby={errors.services ? 'train-services-error' : undefined}
      >
        <legend className="field-label">Services</legend>
        {errors.services ? (
          <p id="train-services-error" className="field-error">
            {errors.services}
          </p>
        ) : null}
        {candidates.length === 0 ? (
          <p className="muted">No service deploys to this environment.</p>
        ) : (
          <ul className="train-service-list">
            {candidates.map((row) => (
              <TrainServiceOption
                key={row.service.id}
                row={row}
                environmentId={environmentId}
                checked={selected.has(row.service.slug)}
                disabled={create.isPending}
                onToggle={() => toggle(row.service.slug)}
              />
            ))}
          </ul>
        )}
        <p className="field-hint">Services with a release ready in this environment are ticked.</p>
      </fieldset>
      <TextField
        label="Reason (optional)"
        hint="Recorded on every deployment of the train."
        error={errors.reason}
        autoComplete="off"
        maxLength={500}
        value={reason}
        disabled={create.isPending}
        onChange={(event) => setReason(event.target.value)}
      />
    </FormDialog>
  );
}

interface TrainServiceOptionProps {
  row: BoardRow;
  environmentId: string;
  checked: boolean;
  disabled: boolean;
  onToggle: () => void;
}

function TrainServiceOption({ row, environmentId, checked, disabled, onToggle }: TrainServiceOptionProps) {
  const cell = row.cells[environmentId]!;
  const id = useId();
  const nameId = `${id}-name`;
  const descriptionId = `${id}-facts`;
  return (
    <li>
      <label className="check-row train-service">
        <input
          type="checkbox"
          checked={checked}
          disabled={disabled}
          onChange={onToggle}
          aria-labelledby={nameId}
          aria-describedby={descriptionId}
        />
        <span id={nameId} className="train-service-name">
          {row.service.name}
        </span>
        <span id={descriptionId} className="train-service-facts small">
          <span className="mono">{cell.current?.version ?? 'nothing yet'}</span>
          {cell.waiting ? (
            <>
              <ArrowRight size={12} aria-label="then" />
              <span className="mono train-service-ready">{cell.waiting.version} ready</span>
            </>
          ) : (
            <span className="muted"> · nothing waiting</span>
          )}
          {cell.lock ? (
            <span className="train-service-flag">
              <Lock size={11} aria-hidden /> locked
            </span>
          ) : null}
          {cell.freeze ? (
            <span className="train-service-flag">
              <Snowflake size={11} aria-hidden /> frozen
            </span>
          ) : null}
        </span>
      </label>
    </li>
  );
}
