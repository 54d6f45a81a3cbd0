import { z } from 'zod';
import { stageSchema } from './catalog.js';

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).max(2000);

// The built-in simulated target: how long a deployment takes, how often it fails, the health it reports.
export const sandboxConfigSchema = z.object({
  durationSeconds: z.number().int().min(0).max(3600).default(20),
  failureRate: z.number().min(0).max(1).default(0),
  health: z.enum(['healthy', 'degraded', 'missing']).default('healthy'),
});
export type SandboxConfig = z.infer<typeof sandboxConfigSchema>;

// Deploys done elsewhere and reported through the API: nothing to configure.
export const recordConfigSchema = z.object({}).strict();

export const webhookConfigInputSchema = z.object({
  url: httpUrl,
  // Write-only: the HMAC-SHA256 key for requests and callbacks. Omit it to keep the one stored.
  secret: z.string().min(16, 'must be at least 16 characters').max(200).optional(),
  // Polled for status when set; `{deploymentId}` and `{externalId}` are filled in.
  statusUrl: httpUrl.nullable().default(null),
  timeoutSeconds: z.number().int().min(1).max(60).default(10),
  maxAttempts: z.number().int().min(1).max(10).default(3),
  pollIntervalSeconds: z.number().int().min(1).max(300).default(5),
});

const releaseValueSchema = z.enum(['commitSha', 'version']);

// How a release becomes what Argo CD deploys: a git revision (its commit or its version tag) to sync
// to, or an image tag written into the application's source first (a Helm parameter or a kustomize
// image override).
export const argoReleaseMappingSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('revision'), value: releaseValueSchema.default('commitSha') }),
  z.object({
    kind: z.literal('helmParameter'),
    parameter: z.string().min(1).max(200),
    value: releaseValueSchema.default('version'),
  }),
  z.object({
    kind: z.literal('kustomizeImage'),
    image: z.string().min(1).max(500),
    value: releaseValueSchema.default('version'),
  }),
]);

const k8sName = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be a lowercase Kubernetes name');

export const argoCdConfigInputSchema = z.object({
  // The Argo CD server, e.g. https://argocd.example.com.
  serverUrl: httpUrl,
  // Write-only: an Argo CD API token (account or project token). Omit it to keep the one stored.
  token: z.string().min(1).max(8000).optional(),
  application: k8sName,
  project: k8sName.nullable().default(null),
  // Set for applications outside Argo CD's own namespace ("apps in any namespace").
  appNamespace: k8sName.nullable().default(null),
  mapping: argoReleaseMappingSchema.default({ kind: 'revision', value: 'commitSha' }),
  prune: z.boolean().default(false),
  syncOptions: z.array(z.string().min(1).max(200)).max(20).default([]),
  timeoutSeconds: z.number().int().min(1).max(60).default(10),
  pollIntervalSeconds: z.number().int().min(1).max(300).default(5),
});

const gitHubName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_.-]+$/, 'must be a GitHub owner or repository name');
const workflowInputName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]{0,99}$/, 'must be a workflow input name');

// Runs a workflow_dispatch workflow per deployment. Flightdeck always sends the inputs environment,
// version, sha and flightdeck_deployment_id; the workflow's run-name must contain the last one.
export const githubActionsConfigInputSchema = z.object({
  owner: gitHubName,
  repo: gitHubName,
  // The workflow's file name (deploy.yml) or its numeric id.
  workflow: z
    .string()
    .min(1)
    .max(200)
    .regex(/^(\d+|[A-Za-z0-9_.-]+\.ya?ml)$/, 'must be a workflow file name (deploy.yml) or id'),
  // The branch or tag whose copy of the workflow runs.
  ref: z.string().min(1).max(250).default('main'),
  // Further inputs sent as they are.
  inputs: z.record(workflowInputName, z.string().max(1000)).default({}),
  pollIntervalSeconds: z.number().int().min(1).max(300).default(10),
});

export const stageDriverInputSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('sandbox'),
    config: sandboxConfigSchema.default(sandboxConfigSchema.parse({})),
  }),
  z.object({ kind: z.literal('record'), config: recordConfigSchema.default({}) }),
  z.object({ kind: z.literal('webhook'), config: webhookConfigInputSchema }),
  z.object({ kind: z.literal('argocd'), config: argoCdConfigInputSchema }),
  z.object({ kind: z.literal('github_actions'), config: githubActionsConfigInputSchema }),
]);

export const updateStageBodySchema = z
  .object({
    driver: stageDriverInputSchema.optional(),
    soakSeconds: z.number().int().min(0).max(604_800).optional(),
    deadlineSeconds: z.number().int().min(30).max(86_400).optional(),
    // GitHub check run names or commit status contexts that must pass on a release's commit.
    requiredChecks: z
      .array(z.string().trim().min(1).max(200))
      .max(50)
      .refine((names) => new Set(names).size === names.length, 'must not repeat a check')
      .optional(),
  })
  .refine(
    (body) =>
      body.driver !== undefined ||
      body.soakSeconds !== undefined ||
      body.deadlineSeconds !== undefined ||
      body.requiredChecks !== undefined,
    'must change at least one of driver, soakSeconds, deadlineSeconds, requiredChecks',
  );

// A stage with its driver settings; secrets never leave the server (`secretSet` says one is stored).
export const stageDetailSchema = stageSchema
  .extend({ driverConfig: z.record(z.string(), z.unknown()), requiredChecks: z.array(z.string()) })
  .meta({ id: 'StageDetail' });
export type StageDetail = z.infer<typeof stageDetailSchema>;
