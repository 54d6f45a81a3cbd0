import {
  sandboxConfigSchema,
  type BodyOf,
  type DriverKind,
  type endpoints,
  type StageDetail,
} from '@flightdeck/contracts';
import {
  checkNames,
  checksFromStage,
  githubActionsConfig,
  githubActionsFromStage,
  sameGitHubActions,
  type CheckRow,
  type GitHubActionsForm,
} from './github-actions-model';

export type UpdateStageBody = BodyOf<typeof endpoints.updateStage>;

// The drivers this build can configure; a stage on another kind keeps it until someone picks one of these.
export const EDITABLE_DRIVERS = ['sandbox', 'record', 'webhook', 'argocd', 'github_actions'] as const;
export type EditableDriver = (typeof EDITABLE_DRIVERS)[number];

export function isEditableDriver(kind: DriverKind): kind is EditableDriver {
  return (EDITABLE_DRIVERS as readonly string[]).includes(kind);
}

export const DURATION_UNITS = [
  { unit: 'seconds', seconds: 1, label: 'seconds' },
  { unit: 'minutes', seconds: 60, label: 'minutes' },
  { unit: 'hours', seconds: 3_600, label: 'hours' },
  { unit: 'days', seconds: 86_400, label: 'days' },
] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number]['unit'];

export interface DurationInput {
  amount: string;
  unit: DurationUnit;
}

// The largest unit that shows the value as a whole number: 1800 → 30 minutes, 90 → 90 seconds.
export function toDurationInput(seconds: number): DurationInput {
  const fit = [...DURATION_UNITS].reverse().find((u) => seconds > 0 && seconds % u.seconds === 0);
  const unit = fit ?? DURATION_UNITS[0];
  return { amount: String(seconds / unit.seconds), unit: unit.unit };
}

// Whole seconds, or null when the amount is not a number of them (1.5 minutes is fine, 0.5 s is not).
export function durationSeconds(input: DurationInput): number | null {
  const amount = Number(input.amount.trim());
  if (input.amount.trim() === '' || !Number.isFinite(amount)) return null;
  const seconds = amount * DURATION_UNITS.find((u) => u.unit === input.unit)!.seconds;
  return Number.isInteger(seconds) ? seconds : null;
}

// "1d 2h", "30m", "45s", "0s": short and exact, for summaries.
export function formatSeconds(total: number): string {
  if (total === 0) return '0s';
  const parts: string[] = [];
  let rest = total;
  for (const [suffix, size] of [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n}${suffix}`);
    rest -= n * size;
  }
  return parts.join(' ');
}

// Every input as typed (strings), so a half-typed number is not rewritten under the user's cursor.
export interface StageSettingsForm {
  kind: DriverKind;
  sandbox: {
    durationSeconds: string;
    failureRatePercent: string;
    health: 'healthy' | 'degraded' | 'missing';
  };
  webhook: {
    url: string;
    secret: string;
    statusUrl: string;
    timeoutSeconds: string;
    maxAttempts: string;
    pollIntervalSeconds: string;
  };
  argocd: {
    serverUrl: string;
    token: string;
    application: string;
    project: string;
    appNamespace: string;
    // What a release becomes in Argo CD: a git revision, or an image tag in a Helm parameter or a
    // kustomize image override (`mappingTarget` is the parameter or the image).
    mappingKind: 'revision' | 'helmParameter' | 'kustomizeImage';
    mappingTarget: string;
    mappingValue: 'commitSha' | 'version';
    prune: boolean;
    // Not edited here; kept as stored.
    syncOptions: string[];
    timeoutSeconds: string;
    pollIntervalSeconds: string;
  };
  githubActions: GitHubActionsForm;
  // Check names that must pass on a release's commit before it deploys here.
  requiredChecks: CheckRow[];
  soak: DurationInput;
  deadline: DurationInput;
}

const ARGOCD_DEFAULTS = { timeoutSeconds: 10, pollIntervalSeconds: 5 };

const WEBHOOK_DEFAULTS = { timeoutSeconds: 10, maxAttempts: 3, pollIntervalSeconds: 5 };

function read<T>(config: Record<string, unknown>, key: string, is: (v: unknown) => v is T, fallback: T): T {
  const value = config[key];
  return is(value) ? value : fallback;
}
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isString = (v: unknown): v is string => typeof v === 'string';

// Each kind's fields start from the stage's settings when it uses that kind, else from the defaults,
// so switching kinds back and forth in the dialog loses nothing.
export function formFromStage(stage: StageDetail): StageSettingsForm {
  const config = stage.driverConfig;
  const sandbox =
    stage.driverKind === 'sandbox'
      ? sandboxConfigSchema.catch(sandboxConfigSchema.parse({})).parse(config)
      : sandboxConfigSchema.parse({});
  const webhook = stage.driverKind === 'webhook' ? config : {};
  const argo = stage.driverKind === 'argocd' ? config : {};
  const mapping = (argo.mapping ?? {}) as Record<string, unknown>;
  const mappingKind =
    mapping.kind === 'helmParameter' || mapping.kind === 'kustomizeImage' ? mapping.kind : 'revision';
  return {
    kind: stage.driverKind,
    sandbox: {
      durationSeconds: String(sandbox.durationSeconds),
      failureRatePercent: String(Math.round(sandbox.failureRate * 1000) / 10),
      health: sandbox.health,
    },
    webhook: {
      url: read(webhook, 'url', isString, ''),
      secret: '',
      statusUrl: read(webhook, 'statusUrl', isString, ''),
      timeoutSeconds: String(read(webhook, 'timeoutSeconds', isNumber, WEBHOOK_DEFAULTS.timeoutSeconds)),
      maxAttempts: String(read(webhook, 'maxAttempts', isNumber, WEBHOOK_DEFAULTS.maxAttempts)),
      pollIntervalSeconds: String(
        read(webhook, 'pollIntervalSeconds', isNumber, WEBHOOK_DEFAULTS.pollIntervalSeconds),
      ),
    },
    argocd: {
      serverUrl: read(argo, 'serverUrl', isString, ''),
      token: '',
      application: read(argo, 'application', isString, ''),
      project: read(argo, 'project', isString, ''),
      appNamespace: read(argo, 'appNamespace', isString, ''),
      mappingKind,
      mappingTarget:
        mappingKind === 'helmParameter'
          ? read(mapping, 'parameter', isString, '')
          : mappingKind === 'kustomizeImage'
            ? read(mapping, 'image', isString, '')
            : '',
      mappingValue:
        mapping.value === 'version' || (mapping.value === undefined && mappingKind !== 'revision')
          ? 'version'
          : 'commitSha',
      prune: argo.prune === true,
      syncOptions: Array.isArray(argo.syncOptions) ? argo.syncOptions.filter(isString) : [],
      timeoutSeconds: String(read(argo, 'timeoutSeconds', isNumber, ARGOCD_DEFAULTS.timeoutSeconds)),
      pollIntervalSeconds: String(
        read(argo, 'pollIntervalSeconds', isNumber, ARGOCD_DEFAULTS.pollIntervalSeconds),
      ),
    },
    githubActions: githubActionsFromStage(stage),
    requiredChecks: checksFromStage(stage),
    soak: toDurationInput(stage.soakSeconds),
    deadline: toDurationInput(stage.deadlineSeconds),
  };
}

// Whether the stage has an Argo CD token stored that a save without one keeps.
export function storedToken(stage: StageDetail): boolean {
  return stage.driverKind === 'argocd' && stage.driverConfig.tokenSet === true;
}

// Whether the stage has a webhook secret stored that a save without one keeps.
export function storedSecret(stage: StageDetail): boolean {
  return stage.driverKind === 'webhook' && stage.driverConfig.secretSet === true;
}

// Numbers as typed; an unreadable one is sent as NaN so the contract's schema names the field.
function number(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text);
}

function driverOf(form: StageSettingsForm): UpdateStageBody['driver'] {
  if (form.kind === 'sandbox') {
    const percent = number(form.sandbox.failureRatePercent);
    return {
      kind: 'sandbox',
      config: {
        durationSeconds: number(form.sandbox.durationSeconds),
        // 12.5 % → 0.125 without 0.12500000000000003.
        failureRate: Number.isFinite(percent) ? Math.round(percent * 10) / 1000 : percent,
        health: form.sandbox.health,
      },
    };
  }
  if (form.kind === 'record') return { kind: 'record', config: {} };
  if (form.kind === 'webhook') {
    const w = form.webhook;
    return {
      kind: 'webhook',
      config: {
        url: w.url.trim(),
        ...(w.secret !== '' ? { secret: w.secret } : {}),
        statusUrl: w.statusUrl.trim() === '' ? null : w.statusUrl.trim(),
        timeoutSeconds: number(w.timeoutSeconds),
        maxAttempts: number(w.maxAttempts),
        pollIntervalSeconds: number(w.pollIntervalSeconds),
      },
    };
  }
  if (form.kind === 'argocd') {
    const a = form.argocd;
    const target = a.mappingTarget.trim();
    return {
      kind: 'argocd',
      config: {
        serverUrl: a.serverUrl.trim(),
        ...(a.token !== '' ? { token: a.token } : {}),
        application: a.application.trim(),
        project: a.project.trim() === '' ? null : a.project.trim(),
        appNamespace: a.appNamespace.trim() === '' ? null : a.appNamespace.trim(),
        mapping:
          a.mappingKind === 'helmParameter'
            ? { kind: 'helmParameter', parameter: target, value: a.mappingValue }
            : a.mappingKind === 'kustomizeImage'
              ? { kind: 'kustomizeImage', image: target, value: a.mappingValue }
              : { kind: 'revision', value: a.mappingValue },
        prune: a.prune,
        syncOptions: a.syncOptions,
        timeoutSeconds: number(a.timeoutSeconds),
        pollIntervalSeconds: number(a.pollIntervalSeconds),
      },
    };
  }
  if (form.kind === 'github_actions') {
    return { kind: 'github_actions', config: githubActionsConfig(form.githubActions) };
  }
  return undefined;
}

function sameDriver(a: StageSettingsForm, b: StageSettingsForm): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'sandbox') return JSON.stringify(a.sandbox) === JSON.stringify(b.sandbox);
  if (a.kind === 'webhook') return JSON.stringify(a.webhook) === JSON.stringify(b.webhook);
  if (a.kind === 'argocd') return JSON.stringify(a.argocd) === JSON.stringify(b.argocd);
  if (a.kind === 'github_actions') return sameGitHubActions(a.githubActions, b.githubActions);
  return true;
}

export interface BuiltBody {
  body: UpdateStageBody;
  // Field name (as the API names it) → message, for what the form can tell before sending.
  errors: Record<string, string>;
}

// Only what changed is sent: a driver left alone is not sent, so changing the soak time while a
// deployment runs is not refused as STAGE_BUSY.
export function buildBody(form: StageSettingsForm, initial: StageSettingsForm): BuiltBody {
  const errors: Record<string, string> = {};
  const body: UpdateStageBody = {};
  if (!sameDriver(form, initial)) body.driver = driverOf(form);
  const soak = durationSeconds(form.soak);
  const deadline = durationSeconds(form.deadline);
  if (soak === null) errors.soakSeconds = 'Enter a whole number of seconds, or pick a larger unit.';
  else if (soak !== durationSeconds(initial.soak)) body.soakSeconds = soak;
  if (deadline === null) errors.deadlineSeconds = 'Enter a whole number of seconds, or pick a larger unit.';
  else if (deadline !== durationSeconds(initial.deadline)) body.deadlineSeconds = deadline;
  const checks = checkNames(form.requiredChecks);
  if (JSON.stringify(checks) !== JSON.stringify(checkNames(initial.requiredChecks))) {
    body.requiredChecks = checks;
  }
  return { body, errors };
}
