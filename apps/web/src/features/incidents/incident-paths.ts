// Route patterns and links of the incident pages.
export const INCIDENTS_ROUTE = '/incidents';
export const INCIDENT_ROUTE = '/incidents/:id';

export function incidentPath(id: string): string {
  return `/incidents/${encodeURIComponent(id)}`;
}

export function incidentMarkdownPath(id: string): string {
  return `/api/v1/incidents/${encodeURIComponent(id)}/timeline.md`;
}
