// Route patterns and links of the service and deployment pages (candidates for config/paths.ts).
export const SERVICE_ROUTE = '/services/:slug';
export const DEPLOYMENT_ROUTE = '/deployments/:id';

export function servicePath(slug: string): string {
  return `/services/${encodeURIComponent(slug)}`;
}

export function deploymentPath(id: string): string {
  return `/deployments/${encodeURIComponent(id)}`;
}

export const TRAIN_ROUTE = '/trains/:id';

export function trainPath(id: string): string {
  return `/trains/${encodeURIComponent(id)}`;
}
