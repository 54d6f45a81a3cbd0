import { serviceParamsSchema } from './schemas/catalog.js';
import {
  githubWebhookBodySchema,
  githubWebhookResponseSchema,
  putServiceGitHubBodySchema,
  serviceGitHubSchema,
} from './schemas/github.js';
import { defineEndpoint } from './endpoint.js';

// The GitHub integration's endpoints (spread into `endpoints`).
export const githubEndpoints = {
  githubWebhook: defineEndpoint({
    id: 'githubWebhook',
    access: 'public',
    method: 'POST',
    path: '/api/v1/integrations/github/webhook',
    summary:
      "GitHub's webhook deliveries (push, workflow_run, release, create, statuses and checks). Signed with the webhook secret (`X-Hub-Signature-256`); unsigned or mis-signed deliveries get 401 and nothing is stored. Stored once per `X-GitHub-Delivery` and processed in the background",
    tag: 'github',
    body: githubWebhookBodySchema,
    response: githubWebhookResponseSchema,
    status: 202,
    errors: [400, 401, 413],
  }),
  getServiceGitHub: defineEndpoint({
    id: 'getServiceGitHub',
    access: 'catalog:read',
    method: 'GET',
    path: '/api/v1/services/{slug}/github',
    summary: "A service's GitHub release rules, polling, the connection's state and the latest deliveries",
    tag: 'github',
    params: serviceParamsSchema,
    response: serviceGitHubSchema,
    errors: [400, 401, 403, 404],
  }),
  putServiceGitHub: defineEndpoint({
    id: 'putServiceGitHub',
    access: 'catalog:write',
    method: 'PUT',
    path: '/api/v1/services/{slug}/github',
    summary:
      "Set which GitHub events make a release of the service, and whether to poll its repository (its team's deployers and up; audited). 409 SERVICE_HAS_NO_REPOSITORY when a rule is on and the service names no repository",
    tag: 'github',
    params: serviceParamsSchema,
    body: putServiceGitHubBodySchema,
    response: serviceGitHubSchema,
    errors: [400, 401, 403, 404, 409],
  }),
} as const;
