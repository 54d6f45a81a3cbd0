import { ApiError } from '@flightdeck/contracts';

export type FieldErrors = Partial<Record<string, string>>;

function withIssues(details: unknown): { field: string; message: string }[] {
  if (!details || typeof details !== 'object' || !('issues' in details)) return [];
  const issues = details.issues;
  if (!Array.isArray(issues)) return [];
  return issues.filter(
    (issue): issue is { field: string; message: string } =>
      typeof issue === 'object' &&
      issue !== null &&
      typeof (issue as { field?: unknown }).field === 'string' &&
      typeof (issue as { message?: unknown }).message === 'string',
  );
}

// The API names each offending body field (`{ issues: [{ field, message }] }`); show each by its input.
export function fieldErrorsFromApi(error: unknown): FieldErrors {
  if (!(error instanceof ApiError) || error.status !== 400) return {};
  const result: FieldErrors = {};
  for (const issue of withIssues(error.details)) result[issue.field] ??= sentence(issue.message);
  return result;
}

// The same contract schema the server uses checks the form first, so messages match.
export function fieldErrorsFromZod(error: {
  issues: readonly { path: readonly PropertyKey[]; message: string }[];
}): FieldErrors {
  const result: FieldErrors = {};
  for (const issue of error.issues) {
    const field = issue.path.map(String).join('.') || 'form';
    result[field] ??= sentence(issue.message);
  }
  return result;
}

// "must be at least 12 characters" → "Must be at least 12 characters."
function sentence(message: string): string {
  const text = message.charAt(0).toUpperCase() + message.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

export function retryAfterSeconds(error: unknown): number | null {
  if (!(error instanceof ApiError) || error.status !== 429) return null;
  const details = error.details as { retryAfterSeconds?: unknown } | undefined;
  const seconds = details?.retryAfterSeconds;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : 60;
}
