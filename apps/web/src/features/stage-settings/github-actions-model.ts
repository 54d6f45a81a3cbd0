import type { StageDetail } from '@flightdeck/contracts';
import type { FieldErrors } from '../../lib/form-errors';

// What Flightdeck sends with every dispatch, whatever the stage adds (apps/api github-actions-config.ts).
export const SENT_INPUTS = [
  { name: 'environment', what: 'the environment’s slug, e.g. production' },
  { name: 'version', what: 'the release’s version, e.g. v2.4.0' },
  { name: 'sha', what: 'the release’s full commit SHA' },
  { name: 'flightdeck_deployment_id', what: 'the deployment’s id: put it in the run-name' },
] as const;
const SENT = new Set<string>(SENT_INPUTS.map((input) => input.name));

export interface InputRow {
  // Stable across edits so React keeps each row's focus.
  id: number;
  name: string;
  value: string;
}

export interface GitHubActionsForm {
  owner: string;
  repo: string;
  workflow: string;
  ref: string;
  inputs: InputRow[];
  pollIntervalSeconds: string;
}

export interface CheckRow {
  id: number;
  name: string;
}

let nextRowId = 1;
export const rowId = () => nextRowId++;

const str = (config: Record<string, unknown>, key: string, fallback: string) =>
  typeof config[key] === 'string' ? config[key] : fallback;

export function githubActionsFromStage(stage: StageDetail): GitHubActionsForm {
  const config = stage.driverKind === 'github_actions' ? stage.driverConfig : {};
  const inputs =
    config.inputs && typeof config.inputs === 'object' && !Array.isArray(config.inputs)
      ? Object.entries(config.inputs as Record<string, unknown>)
      : [];
  return {
    owner: str(config, 'owner', ''),
    repo: str(config, 'repo', ''),
    workflow: str(config, 'workflow', ''),
    ref: str(config, 'ref', 'main'),
    inputs: inputs.map(([name, value]) => ({ id: rowId(), name, value: String(value) })),
    pollIntervalSeconds: String(
      typeof config.pollIntervalSeconds === 'number' ? config.pollIntervalSeconds : 10,
    ),
  };
}

export function checksFromStage(stage: StageDetail): CheckRow[] {
  return stage.requiredChecks.map((name) => ({ id: rowId(), name }));
}

// Numbers as typed; an unreadable one is sent as NaN so the contract's schema names the field.
const number = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));

export function githubActionsConfig(form: GitHubActionsForm) {
  return {
    owner: form.owner.trim(),
    repo: form.repo.trim(),
    workflow: form.workflow.trim(),
    ref: form.ref.trim(),
    inputs: Object.fromEntries(form.inputs.map((row) => [row.name.trim(), row.value])),
    pollIntervalSeconds: number(form.pollIntervalSeconds),
  };
}

// Rows compared by what they say, not by their ids.
export function sameGitHubActions(a: GitHubActionsForm, b: GitHubActionsForm): boolean {
  return JSON.stringify(githubActionsConfig(a)) === JSON.stringify(githubActionsConfig(b));
}

export const checkNames = (rows: CheckRow[]) => rows.map((row) => row.name.trim());

export const inputField = (index: number) => `driver.config.inputs.${index}`;
export const checkField = (index: number) => `requiredChecks.${index}`;

const OWNER = /^[A-Za-z0-9_.-]{1,100}$/;
const WORKFLOW = /^(\d+|[A-Za-z0-9_.-]+\.ya?ml)$/;
const INPUT_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,99}$/;

export const MESSAGES = {
  owner: 'Enter the owner: a GitHub user or organisation (letters, digits, -, _ or .).',
  repo: 'Enter the repository’s name (letters, digits, -, _ or .).',
  workflow: 'Enter the workflow’s file name, such as deploy.yml, or its numeric id.',
  ref: 'Enter the branch or tag to run the workflow from (up to 250 characters).',
  inputName: 'Start with a letter or _, then letters, digits, _ or - (up to 100).',
  inputValue: 'Keep the value to 1000 characters or fewer.',
  inputSent: 'Flightdeck sends this input itself: pick another name.',
  inputRepeated: 'This input is already listed above.',
  checkBlank: 'Enter the check’s name, or remove the row.',
  checkLong: 'Keep the name to 200 characters or fewer.',
  checkRepeated: 'This check is already listed above.',
  checksTooMany: 'List at most 50 checks.',
} as const;

// Everything the form can tell before sending, in words about the field (not the schema's).
export function githubActionsErrors(form: GitHubActionsForm): FieldErrors {
  const errors: FieldErrors = {};
  if (!OWNER.test(form.owner.trim())) errors['driver.config.owner'] = MESSAGES.owner;
  if (!OWNER.test(form.repo.trim())) errors['driver.config.repo'] = MESSAGES.repo;
  const workflow = form.workflow.trim();
  if (workflow === '' || workflow.length > 200 || !WORKFLOW.test(workflow)) {
    errors['driver.config.workflow'] = MESSAGES.workflow;
  }
  const ref = form.ref.trim();
  if (ref === '' || ref.length > 250) errors['driver.config.ref'] = MESSAGES.ref;
  const seen = new Set<string>();
  form.inputs.forEach((row, index) => {
    const name = row.name.trim();
    if (!INPUT_NAME.test(name)) errors[`${inputField(index)}.name`] = MESSAGES.inputName;
    else if (SENT.has(name)) errors[`${inputField(index)}.name`] = MESSAGES.inputSent;
    else if (seen.has(name)) errors[`${inputField(index)}.name`] = MESSAGES.inputRepeated;
    if (row.value.length > 1000) errors[`${inputField(index)}.value`] = MESSAGES.inputValue;
    seen.add(name);
  });
  return errors;
}

export function requiredChecksErrors(rows: CheckRow[]): FieldErrors {
  const errors: FieldErrors = {};
  const seen = new Set<string>();
  checkNames(rows).forEach((name, index) => {
    if (name === '') errors[checkField(index)] = MESSAGES.checkBlank;
    else if (name.length > 200) errors[checkField(index)] = MESSAGES.checkLong;
    else if (seen.has(name)) errors[checkField(index)] = MESSAGES.checkRepeated;
    seen.add(name);
  });
  if (rows.length > 50) errors.requiredChecks = MESSAGES.checksTooMany;
  return errors;
}

// The API (and the contract's schema run here first) names fields by path; inputs are keyed by name
// there (`driver.config.inputs.deploy_target`) and by row here, and its words are the schema's.
export function friendlyErrors(errors: FieldErrors, inputs: InputRow[], checks: CheckRow[]): FieldErrors {
  const out: FieldErrors = {};
  for (const [field, message] of Object.entries(errors)) {
    const input = /^driver\.config\.inputs\.(.+)$/.exec(field);
    const check = /^requiredChecks\.(\d+)$/.exec(field);
    if (field === 'driver.config.owner') out[field] = MESSAGES.owner;
    else if (field === 'driver.config.repo') out[field] = MESSAGES.repo;
    else if (field === 'driver.config.workflow') out[field] = MESSAGES.workflow;
    else if (field === 'driver.config.ref') out[field] = MESSAGES.ref;
    else if (input) {
      const index = inputs.findIndex((row) => row.name.trim() === input[1]);
      if (index >= 0) {
        // An invalid key is the name's fault; anything else (too long) the value's.
        const nameAtFault = !INPUT_NAME.test(input[1]!);
        out[`${inputField(index)}.${nameAtFault ? 'name' : 'value'}`] = nameAtFault
          ? MESSAGES.inputName
          : MESSAGES.inputValue;
      } else out['driver.config.inputs'] = MESSAGES.inputName;
    } else if (check && Number(check[1]) < checks.length) {
      const name = checks[Number(check[1])]!.name.trim();
      out[field] = name === '' ? MESSAGES.checkBlank : MESSAGES.checkLong;
    } else if (field === 'requiredChecks') {
      out[field] = /repeat/i.test(message ?? '') ? 'Each check may be listed once.' : MESSAGES.checksTooMany;
    } else out[field] = message;
  }
  return out;
}
