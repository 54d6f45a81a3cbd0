import {
  putStageVerificationBodySchema,
  type StageVerification,
  type VerificationConfig,
} from '@flightdeck/contracts';
import { fieldErrorsFromZod, type FieldErrors } from '../../lib/form-errors';

type PutBody = ReturnType<typeof putStageVerificationBodySchema.parse>;

// Numbers stay text while typed, so a cleared field is "required", not a silent 0.
export interface HttpRow {
  key: number;
  name: string;
  url: string;
  expectStatus: string;
  bodyContains: string;
  failuresAllowed: string;
  timeoutSeconds: string;
}

export interface MetricRow {
  key: number;
  name: string;
  prometheusUrl: string;
  query: string;
  comparison: 'above' | 'below';
  threshold: string;
  forSeconds: string;
}

export interface VerificationForm {
  windowSeconds: string;
  intervalSeconds: string;
  driverHealth: boolean;
  http: HttpRow[];
  metrics: MetricRow[];
  autoRollback: boolean;
}

let nextKey = 0;
const key = () => (nextKey += 1);

export function newHttpRow(): HttpRow {
  return {
    key: key(),
    name: '',
    url: '',
    expectStatus: '200',
    bodyContains: '',
    failuresAllowed: '2',
    timeoutSeconds: '5',
  };
}

export function newMetricRow(): MetricRow {
  return {
    key: key(),
    name: '',
    prometheusUrl: '',
    query: '',
    comparison: 'above',
    threshold: '',
    forSeconds: '0',
  };
}

export function formFromStage({ verification, autoRollback }: StageVerification): VerificationForm {
  return {
    windowSeconds: String(verification.windowSeconds),
    intervalSeconds: String(verification.intervalSeconds),
    driverHealth: verification.driverHealth,
    http: verification.http.map((check) => ({
      key: key(),
      name: check.name,
      url: check.url,
      expectStatus: String(check.expectStatus),
      bodyContains: check.bodyContains ?? '',
      failuresAllowed: String(check.failuresAllowed),
      timeoutSeconds: String(check.timeoutSeconds),
    })),
    metrics: verification.metrics.map((check) => ({
      key: key(),
      name: check.name,
      prometheusUrl: check.prometheusUrl,
      query: check.query,
      comparison: check.comparison,
      threshold: String(check.threshold),
      forSeconds: String(check.forSeconds),
    })),
    autoRollback,
  };
}

// The request body and every error the form can tell before sending, named like the API's
// `details.issues[].field` (e.g. `verification.http.0.url`), so both land on the same input.
export function buildBody(form: VerificationForm): { body: PutBody | null; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const number = (field: string, text: string): number => {
    const trimmed = text.trim();
    if (trimmed === '' || !Number.isFinite(Number(trimmed))) {
      errors[field] = trimmed === '' ? 'Required.' : 'Must be a number.';
      return 0;
    }
    return Number(trimmed);
  };
  const text = (field: string, value: string): string => {
    if (value.trim() === '') errors[field] = 'Required.';
    return value.trim();
  };
  const verification: VerificationConfig = {
    windowSeconds: number('verification.windowSeconds', form.windowSeconds),
    intervalSeconds: number('verification.intervalSeconds', form.intervalSeconds),
    driverHealth: form.driverHealth,
    http: form.http.map((row, index) => {
      const at = `verification.http.${index}`;
      return {
        name: text(`${at}.name`, row.name),
        url: text(`${at}.url`, row.url),
        expectStatus: number(`${at}.expectStatus`, row.expectStatus),
        ...(row.bodyContains !== '' ? { bodyContains: row.bodyContains } : {}),
        failuresAllowed: number(`${at}.failuresAllowed`, row.failuresAllowed),
        timeoutSeconds: number(`${at}.timeoutSeconds`, row.timeoutSeconds),
      };
    }),
    metrics: form.metrics.map((row, index) => {
      const at = `verification.metrics.${index}`;
      return {
        name: text(`${at}.name`, row.name),
        prometheusUrl: text(`${at}.prometheusUrl`, row.prometheusUrl),
        query: text(`${at}.query`, row.query),
        comparison: row.comparison,
        threshold: number(`${at}.threshold`, row.threshold),
        forSeconds: number(`${at}.forSeconds`, row.forSeconds),
      };
    }),
  };
  // The contract's own schema checks the rest, so messages match the server's.
  const parsed = putStageVerificationBodySchema.safeParse({ verification, autoRollback: form.autoRollback });
  const all = { ...(parsed.success ? {} : fieldErrorsFromZod(parsed.error)), ...errors };
  return { body: parsed.success && Object.keys(errors).length === 0 ? parsed.data : null, errors: all };
}
