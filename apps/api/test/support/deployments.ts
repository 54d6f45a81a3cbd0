import type { Deployment, DeploymentDetail, DeploymentStatus } from '@flightdeck/contracts';
import { isTerminal } from '@flightdeck/contracts';
import { sql } from './sql.js';
import type { TestApp } from './test-app.js';

// Sandbox settings for a test: quick and predictable unless asked otherwise.
export async function setSandbox(
  app: TestApp,
  stageIds: readonly string[],
  config: { durationSeconds?: number; failureRate?: number; health?: string } = {},
): Promise<void> {
  await sql(
    app.db.url,
    `UPDATE stages SET driver_kind = 'sandbox', driver_config = $2::jsonb WHERE id = ANY($1::uuid[])`,
    [stageIds, JSON.stringify({ durationSeconds: 0, failureRate: 0, health: 'healthy', ...config })],
  );
}

export async function getDeployment(app: TestApp, id: string): Promise<DeploymentDetail> {
  const response = await app.get<DeploymentDetail>(`/api/v1/deployments/${id}`);
  if (response.status !== 200) throw new Error(`GET deployment ${id}: ${response.status}`);
  return response.body;
}

// Polls until the deployment reaches one of `statuses` (any terminal status when omitted).
export async function waitForDeployment(
  app: TestApp,
  id: string,
  statuses?: readonly DeploymentStatus[],
  timeoutMs = 20_000,
): Promise<DeploymentDetail> {
  const deadline = Date.now() + timeoutMs;
  let last: DeploymentDetail | null = null;
  while (Date.now() < deadline) {
    last = await getDeployment(app, id);
    if (statuses ? statuses.includes(last.status) : isTerminal(last.status)) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`deployment ${id} stayed ${last?.status} (wanted ${statuses?.join('/') ?? 'terminal'})`);
}

export async function deploy(
  app: TestApp,
  body: { stageId: string; releaseId?: string; reason?: string; breakGlass?: boolean },
  headers: Record<string, string> = {},
) {
  return app.admin.post<Deployment & { code?: string; message?: string; details?: unknown }>(
    '/api/v1/deployments',
    body,
    { headers },
  );
}
