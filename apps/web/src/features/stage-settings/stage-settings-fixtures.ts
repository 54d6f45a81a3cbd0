import { stageDetailSchema, type Stage, type StageDetail } from '@flightdeck/contracts';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { buildAuthState, buildMe } from '../../test/fixtures/identity';
import { instanceFixture, renderApp, stubApi, type RecordedRequest } from '../../test/render-app';
import { buildServiceFixtures } from '../service/service-fixtures';

// The service page with its Dev stage's settings answered by a stubbed API, for the dialog's tests.
export const RUNNING_ID = '00000000-0000-4000-b000-000000000042';

export type PatchReply = { status?: number; body: unknown };

export function detail(stage: Stage, patch: Partial<StageDetail> = {}): StageDetail {
  return stageDetailSchema.parse({
    ...stage,
    driverConfig: { durationSeconds: 20, failureRate: 0.1, health: 'healthy' },
    requiredChecks: [],
    ...patch,
  });
}

export interface SetupOptions {
  me?: ReturnType<typeof buildMe>;
  // The stage as GET /api/v1/stages/{id} answers, from the Dev stage of the fixtures.
  stage?: (stage: Stage) => StageDetail;
  patch?: (request: RecordedRequest, stage: StageDetail) => PatchReply;
  // The promotion preview of the stage (its next candidate's gates), when a test needs one.
  preview?: (data: ReturnType<typeof buildServiceFixtures>, stage: StageDetail) => unknown;
}

export function setup(options: SetupOptions = {}) {
  const data = buildServiceFixtures();
  const devStage = data.stages.find((stage) => stage.environmentSlug === 'dev')!;
  const stage = options.stage?.(devStage) ?? detail(devStage);
  const path = `/api/v1/stages/${devStage.id}`;
  const stub = stubApi({
    '/api/v1/auth/session': { body: buildAuthState({ user: options.me ?? buildMe('admin') }) },
    '/api/v1/instance': { body: instanceFixture },
    '/api/v1/services/checkout-api': { body: data.service },
    '/api/v1/environments': { body: { items: data.environments } },
    '/api/v1/stages': { body: { items: data.stages } },
    '/api/v1/board': { body: data.board },
    '/api/v1/releases': { body: { items: data.releases, nextCursor: null } },
    '/api/v1/deployments': { body: { items: [], nextCursor: null } },
    [`GET ${path}`]: { body: stage },
    ...(options.preview ? { [`GET ${path}/preview`]: { body: options.preview(data, stage) } } : {}),
    [`PATCH ${path}`]: (request) =>
      options.patch?.(request, stage) ?? {
        body: { ...stage, ...(request.body as object), driverConfig: stage.driverConfig },
      },
  });
  const view = renderApp('/services/checkout-api');
  const patches = () => stub.requests.filter((r) => r.method === 'PATCH' && r.path === path);
  return { ...stub, ...view, data, stage, path, patches };
}

export async function openDevSettings() {
  // The service page is a lazy chunk: the first render can take a moment.
  const button = await screen.findByRole(
    'button',
    { name: 'Settings of the Dev stage' },
    { timeout: 15_000 },
  );
  await userEvent.click(button);
  const dialog = await screen.findByRole('dialog', { name: 'Dev settings' });
  await within(dialog).findByRole('radio', { name: /Sandbox/ });
  return dialog;
}
