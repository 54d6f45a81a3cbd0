import type { StageVerification } from '@flightdeck/contracts';
import { useQuery } from '@tanstack/react-query';
import { Plus, Trash2 } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { Dialog } from '../../components/ui/dialog';
import { Field, InlineError } from '../../components/ui/field';
import { FormError } from '../../components/ui/form-error';
import { Skeleton } from '../../components/ui/skeleton';
import { TextField } from '../../components/ui/text-field';
import { describeError } from '../../lib/errors';
import { fieldErrorsFromApi, type FieldErrors } from '../../lib/form-errors';
import { pushToast } from '../notifications/toast-store';
import {
  buildBody,
  formFromStage,
  newHttpRow,
  newMetricRow,
  type HttpRow,
  type MetricRow,
  type VerificationForm,
} from './verification-model';
import { stageVerificationQueryOptions, useUpdateVerification } from './verification-queries';
import './verification.css';

export interface VerificationTarget {
  stageId: string;
  serviceSlug: string;
  serviceName: string;
  environmentName: string;
}

interface VerificationSettingsDialogProps {
  target: VerificationTarget;
  onClose: () => void;
}

const FORM_ID = 'verification-form';
const MAX_CHECKS = 10;

// What decides, after the driver reports done, whether a deployment succeeded: the window, its checks,
// and whether a failure rolls the stage back by itself.
export function VerificationSettingsDialog({ target, onClose }: VerificationSettingsDialogProps) {
  const query = useQuery(stageVerificationQueryOptions(target.serviceSlug, target.stageId));
  const update = useUpdateVerification(target.serviceSlug, target.stageId);
  return (
    <Dialog
      open
      size="lg"
      title={`${target.environmentName} verification`}
      onClose={onClose}
      busy={update.isPending}
      footer={
        <>
          <button type="button" className="button" onClick={onClose} disabled={update.isPending}>
            Cancel
          </button>
          <button
            type="submit"
            form={FORM_ID}
            className="button button-primary"
            disabled={update.isPending || !query.data}
          >
            {update.isPending ? 'Saving…' : 'Save verification'}
          </button>
        </>
      }
    >
      {query.data ? (
        <VerificationFormBody initial={query.data} target={target} update={update} onSaved={onClose} />
      ) : query.error ? (
        <InlineError title="The verification settings could not be loaded">
          <p>{describeError(query.error).message}</p>
          <button type="button" className="button button-small" onClick={() => void query.refetch()}>
            Try again
          </button>
        </InlineError>
      ) : (
        <div className="verification-loading" role="status" aria-label="Loading the verification settings">
          <Skeleton height="34px" />
          <Skeleton height="34px" />
          <Skeleton height="64px" />
        </div>
      )}
    </Dialog>
  );
}

interface FormBodyProps {
  initial: StageVerification;
  target: VerificationTarget;
  update: ReturnType<typeof useUpdateVerification>;
  onSaved: () => void;
}

function VerificationFormBody({ initial, target, update, onSaved }: FormBodyProps) {
  const [form, setForm] = useState<VerificationForm>(() => formFromStage(initial));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [bannerError, setBannerError] = useState<unknown>(null);
  const patch = (next: Partial<VerificationForm>) => setForm((current) => ({ ...current, ...next }));
  const patchHttp = (index: number, next: Partial<HttpRow>) =>
    patch({ http: form.http.map((row, at) => (at === index ? { ...row, ...next } : row)) });
  const patchMetric = (index: number, next: Partial<MetricRow>) =>
    patch({ metrics: form.metrics.map((row, at) => (at === index ? { ...row, ...next } : row)) });
  // Removing a row shifts the indexes the errors are keyed by: the next save names them again.
  const clearErrors = () => setErrors({});

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const { body, errors: found } = buildBody(form);
    setErrors(found);
    setBannerError(null);
    if (!body) return;
    update.mutate(body, {
      onSuccess: (saved) => {
        const checks = saved.verification.http.length + saved.verification.metrics.length;
        pushToast({
          id: `verification:${target.stageId}`,
          tone: 'success',
          title: `${target.environmentName} verification saved`,
          message: `${target.serviceName}: ${saved.verification.windowSeconds}s window, ${checks} ${
            checks === 1 ? 'check' : 'checks'
          }${saved.verification.driverHealth ? ' plus driver health' : ''}, automatic rollback ${
            saved.autoRollback ? 'on' : 'off'
          }.`,
          code: null,
        });
        onSaved();
      },
      onError: (error) => {
        const fields = fieldErrorsFromApi(error);
        setErrors(fields);
        // A failure no input shows (a 403, a field this form does not have) goes in the banner.
        const named = Object.keys(fields);
        const hidden = named.length === 0 || named.some((field) => !isFormField(field, form));
        setBannerError(hidden ? error : null);
      },
    });
  };

  return (
    <form id={FORM_ID} className="form-stack verification-form" onSubmit={submit} noValidate>
      <FormError error={bannerError} title="Not saved" />
      <p className="dialog-lead">
        After the driver reports a deployment done, Flightdeck watches it for the window below. Any check that
        fails makes the deployment fail; with automatic rollback on, the stage then goes back to its previous
        successful release.
      </p>

      <div className="verification-grid">
        <TextField
          label="Window (seconds)"
          hint="0 with no checks: success at once."
          inputMode="numeric"
          value={form.windowSeconds}
          error={errors['verification.windowSeconds']}
          onChange={(event) => patch({ windowSeconds: event.target.value })}
        />
        <TextField
          label="Check every (seconds)"
          inputMode="numeric"
          value={form.intervalSeconds}
          error={errors['verification.intervalSeconds']}
          onChange={(event) => patch({ intervalSeconds: event.target.value })}
        />
      </div>

      <div className="check-list">
        <label className="check-row">
          <input
            type="checkbox"
            checked={form.driverHealth}
            onChange={(event) => patch({ driverHealth: event.target.checked })}
          />
          <span>
            <span className="check-title">Driver health</span>
            <span className="check-description">
              Fail when the driver reports the stage degraded or missing.
            </span>
          </span>
        </label>
      </div>

      <fieldset className="verification-section">
        <legend className="verification-legend">HTTP checks</legend>
        {form.http.length === 0 ? <p className="muted small">No HTTP checks.</p> : null}
        {form.http.map((row, index) => {
          const at = `verification.http.${index}`;
          const label = row.name.trim() || `HTTP check ${index + 1}`;
          return (
            <div key={row.key} className="verification-row" role="group" aria-label={label}>
              <div className="verification-grid">
                <TextField
                  label="Name"
                  value={row.name}
                  error={errors[`${at}.name`]}
                  onChange={(event) => patchHttp(index, { name: event.target.value })}
                />
                <TextField
                  label="URL"
                  inputMode="url"
                  placeholder="https://checkout.internal/healthz"
                  value={row.url}
                  error={errors[`${at}.url`]}
                  onChange={(event) => patchHttp(index, { url: event.target.value })}
                />
                <TextField
                  label="Expected status"
                  inputMode="numeric"
                  value={row.expectStatus}
                  error={errors[`${at}.expectStatus`]}
                  onChange={(event) => patchHttp(index, { expectStatus: event.target.value })}
                />
                <TextField
                  label="Body contains (optional)"
                  value={row.bodyContains}
                  error={errors[`${at}.bodyContains`]}
                  onChange={(event) => patchHttp(index, { bodyContains: event.target.value })}
                />
                <TextField
                  label="Failures allowed in a row"
                  inputMode="numeric"
                  value={row.failuresAllowed}
                  error={errors[`${at}.failuresAllowed`]}
                  onChange={(event) => patchHttp(index, { failuresAllowed: event.target.value })}
                />
                <TextField
                  label="Timeout (seconds)"
                  inputMode="numeric"
                  value={row.timeoutSeconds}
                  error={errors[`${at}.timeoutSeconds`]}
                  onChange={(event) => patchHttp(index, { timeoutSeconds: event.target.value })}
                />
              </div>
              <button
                type="button"
                className="button button-small button-danger-ghost verification-remove"
                aria-label={`Remove ${label}`}
                onClick={() => {
                  patch({ http: form.http.filter((_, at) => at !== index) });
                  clearErrors();
                }}
              >
                <Trash2 size={13} aria-hidden />
                Remove
              </button>
            </div>
          );
        })}
        <button
          type="button"
          className="button button-small verification-add"
          disabled={form.http.length >= MAX_CHECKS}
          onClick={() => patch({ http: [...form.http, newHttpRow()] })}
        >
          <Plus size={13} aria-hidden />
          Add HTTP check
        </button>
      </fieldset>

      <fieldset className="verification-section">
        <legend className="verification-legend">Metric checks (Prometheus)</legend>
        {form.metrics.length === 0 ? <p className="muted small">No metric checks.</p> : null}
        {form.metrics.map((row, index) => {
          const at = `verification.metrics.${index}`;
          const label = row.name.trim() || `Metric check ${index + 1}`;
          return (
            <div key={row.key} className="verification-row" role="group" aria-label={label}>
              <div className="verification-grid">
                <TextField
                  label="Name"
                  value={row.name}
                  error={errors[`${at}.name`]}
                  onChange={(event) => patchMetric(index, { name: event.target.value })}
                />
                <TextField
                  label="Prometheus URL"
                  inputMode="url"
                  placeholder="http://prometheus:9090"
                  value={row.prometheusUrl}
                  error={errors[`${at}.prometheusUrl`]}
                  onChange={(event) => patchMetric(index, { prometheusUrl: event.target.value })}
                />
                <div className="verification-wide">
                  <TextField
                    label="PromQL query"
                    inputClassName="mono"
                    placeholder='sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))'
                    value={row.query}
                    error={errors[`${at}.query`]}
                    onChange={(event) => patchMetric(index, { query: event.target.value })}
                  />
                </div>
                <Field label="Fails when the value is" error={errors[`${at}.comparison`]}>
                  {(ids) => (
                    <select
                      {...ids}
                      className="input select"
                      value={row.comparison}
                      onChange={(event) =>
                        patchMetric(index, { comparison: event.target.value as MetricRow['comparison'] })
                      }
                    >
                      <option value="above">Above the threshold</option>
                      <option value="below">Below the threshold</option>
                    </select>
                  )}
                </Field>
                <TextField
                  label="Threshold"
                  inputMode="decimal"
                  value={row.threshold}
                  error={errors[`${at}.threshold`]}
                  onChange={(event) => patchMetric(index, { threshold: event.target.value })}
                />
                <TextField
                  label="For (seconds)"
                  hint="How long in a row; 0: at once."
                  inputMode="numeric"
                  value={row.forSeconds}
                  error={errors[`${at}.forSeconds`]}
                  onChange={(event) => patchMetric(index, { forSeconds: event.target.value })}
                />
              </div>
              <button
                type="button"
                className="button button-small button-danger-ghost verification-remove"
                aria-label={`Remove ${label}`}
                onClick={() => {
                  patch({ metrics: form.metrics.filter((_, at) => at !== index) });
                  clearErrors();
                }}
              >
                <Trash2 size={13} aria-hidden />
                Remove
              </button>
            </div>
          );
        })}
        <button
          type="button"
          className="button button-small verification-add"
          disabled={form.metrics.length >= MAX_CHECKS}
          onClick={() => patch({ metrics: [...form.metrics, newMetricRow()] })}
        >
          <Plus size={13} aria-hidden />
          Add metric check
        </button>
      </fieldset>

      <div className="check-list">
        <label className="check-row">
          <input
            type="checkbox"
            checked={form.autoRollback}
            onChange={(event) => patch({ autoRollback: event.target.checked })}
          />
          <span>
            <span className="check-title">Automatic rollback</span>
            <span className="check-description">
              When verification fails, roll back to the previous successful release by itself, record why, and
              hold the failed release on this stage.
            </span>
          </span>
        </label>
      </div>
    </form>
  );
}

const TOP_FIELDS = new Set(['verification.windowSeconds', 'verification.intervalSeconds']);
const HTTP_FIELDS = new Set([
  'name',
  'url',
  'expectStatus',
  'bodyContains',
  'failuresAllowed',
  'timeoutSeconds',
]);
const METRIC_FIELDS = new Set(['name', 'prometheusUrl', 'query', 'comparison', 'threshold', 'forSeconds']);

// Whether an input of the form shows this field's error.
function isFormField(field: string, form: VerificationForm): boolean {
  if (TOP_FIELDS.has(field)) return true;
  const match = /^verification\.(http|metrics)\.(\d+)\.(\w+)$/.exec(field);
  if (!match) return false;
  const [, list, index, name] = match;
  const rows = list === 'http' ? form.http : form.metrics;
  const names = list === 'http' ? HTTP_FIELDS : METRIC_FIELDS;
  return Number(index) < rows.length && names.has(name!);
}
