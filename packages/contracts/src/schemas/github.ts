import { z } from 'zod';
import { isoDateTime } from './common.js';

// Which GitHub events make a release of a service. Each rule makes releases only from the service's
// default branch (pushes, workflow runs) or from its tags (published releases, tags).
export const githubReleaseRulesSchema = z
  .object({
    // A push to the default branch, once CI on that commit is green (statuses and check runs).
    push: z.boolean().default(false),
    // A successful workflow run on the default branch; `workflow` limits it to one workflow (its name
    // or file path, e.g. "CI" or ".github/workflows/build.yml").
    workflowRun: z.boolean().default(false),
    workflow: z.string().trim().min(1).max(200).nullable().default(null),
    // A GitHub release published (its tag is the version, its body the notes).
    releasePublished: z.boolean().default(false),
    // A tag pushed (the tag is the version).
    tag: z.boolean().default(false),
  })
  .meta({ id: 'GitHubReleaseRules' });
export type GitHubReleaseRules = z.infer<typeof githubReleaseRulesSchema>;

export const serviceGitHubSchema = z
  .object({
    serviceSlug: z.string(),
    repository: z.object({ owner: z.string(), name: z.string() }).nullable(),
    defaultBranch: z.string(),
    rules: githubReleaseRulesSchema,
    // Poll the repository instead of (or besides) webhooks: for repositories that cannot send them.
    polling: z.boolean(),
    connection: z.object({
      // Whether Flightdeck has GitHub credentials (a GitHub App or a token).
      apiConfigured: z.boolean(),
      // Whether webhook deliveries can be verified (a webhook secret is set).
      webhooksConfigured: z.boolean(),
      webhookPath: z.string(),
    }),
    // The latest deliveries for this service's repository, newest first.
    recentDeliveries: z.array(
      z.object({
        deliveryId: z.string(),
        event: z.string(),
        action: z.string().nullable(),
        state: z.enum(['pending', 'done', 'ignored', 'failed']),
        outcome: z.string().nullable(),
        receivedAt: isoDateTime,
      }),
    ),
  })
  .meta({ id: 'ServiceGitHub' });
export type ServiceGitHub = z.infer<typeof serviceGitHubSchema>;

export const putServiceGitHubBodySchema = z
  .object({
    rules: githubReleaseRulesSchema,
    polling: z.boolean(),
  })
  .meta({ id: 'PutServiceGitHubBody' });

// GitHub's payload: any JSON object (checked by its signature before anything reads it).
export const githubWebhookBodySchema = z.record(z.string(), z.unknown()).meta({ id: 'GitHubWebhookPayload' });

export const githubWebhookResponseSchema = z
  .object({
    deliveryId: z.string(),
    // True when this delivery id was received before (GitHub's redelivery): nothing new is stored.
    duplicate: z.boolean(),
  })
  .meta({ id: 'GitHubWebhookAccepted' });
