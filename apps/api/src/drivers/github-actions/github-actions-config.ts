import { githubActionsConfigInputSchema } from '@flightdeck/contracts';
import type { z } from 'zod';

// What a github_actions stage keeps in stages.driver_config: its settings as entered (no secrets; the
// GitHub App or token of FLIGHTDECK_GITHUB_* authenticates).
export type GitHubActionsConfig = z.infer<typeof githubActionsConfigInputSchema>;

export function parseGitHubActionsConfig(raw: unknown): GitHubActionsConfig | null {
  const parsed = githubActionsConfigInputSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

// The inputs every dispatch carries; the workflow declares them (and its run-name shows the last).
export const DEPLOYMENT_ID_INPUT = 'flightdeck_deployment_id';

export interface DispatchFields {
  readonly environment: string;
  readonly version: string;
  readonly sha: string;
  readonly deploymentId: string;
}

export function dispatchInputs(config: GitHubActionsConfig, fields: DispatchFields): Record<string, string> {
  return {
    ...config.inputs,
    environment: fields.environment,
    version: fields.version,
    sha: fields.sha,
    [DEPLOYMENT_ID_INPUT]: fields.deploymentId,
  };
}
