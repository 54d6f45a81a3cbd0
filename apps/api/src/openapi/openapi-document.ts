import { buildOpenApiDocument, endpointList } from '@flightdeck/contracts';
import { APP_VERSION } from '../instance/version.js';

export const OPENAPI_PATH = '/api/v1/openapi.json';

export function createOpenApiDocument(): Record<string, unknown> {
  return buildOpenApiDocument(endpointList, {
    title: 'Flightdeck API',
    version: APP_VERSION,
    description: 'Deployment control plane: environments, releases, deployments, approvals and incidents.',
  });
}
