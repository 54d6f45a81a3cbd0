import {
  boardSchema,
  deploymentDetailSchema,
  deploymentSchema,
  environmentSchema,
  releaseSchema,
  serviceSchema,
  stageSchema,
  type Board,
  type Deployment,
  type DeploymentDetail,
  type Environment,
  type Release,
  type Service,
  type Stage,
} from '@flightdeck/contracts';

// Test-only data, validated against the contract so the tests cannot drift from the API's shapes.
let counter = 0;
function id(): string {
  counter += 1;
  return `00000000-0000-4000-a000-${counter.toString(16).padStart(12, '0')}`;
}

const T0 = Date.parse('2026-11-20T10:00:00.000Z');
function at(minutes: number): string {
  return new Date(T0 + minutes * 60_000).toISOString();
}

export function buildServiceFixtures() {
  const service: Service = serviceSchema.parse({
    id: id(),
    slug: 'checkout-api',
    name: 'Checkout API',
    description: 'Takes payments and turns carts into orders.',
    team: 'payments',
    repository: { owner: 'acme', name: 'checkout' },
    defaultBranch: 'main',
    createdAt: at(-10_000),
  });
  const env = (slug: string, name: string, position: number, tier: Environment['tier']) =>
    environmentSchema.parse({ id: id(), slug, name, position, tier });
  // Out of order on purpose: the graph orders by position.
  const production = env('production', 'Production', 4, 'production');
  const dev = env('dev', 'Dev', 1, 'development');
  const qa = env('qa', 'QA', 2, 'staging');
  const staging = env('staging', 'Staging', 3, 'staging');
  const environments = [dev, qa, staging, production];

  const stage = (environment: Environment, upstreamStageIds: string[], driverKind: Stage['driverKind']) =>
    stageSchema.parse({
      id: id(),
      serviceId: service.id,
      serviceSlug: service.slug,
      environmentId: environment.id,
      environmentSlug: environment.slug,
      driverKind,
      soakSeconds: 600,
      deadlineSeconds: 1800,
      autoPromote: false,
      upstreamStageIds,
    });
  // dev → qa, dev → staging (fan-out), qa + staging → production (fan-in).
  const devStage = stage(dev, [], 'sandbox');
  const qaStage = stage(qa, [devStage.id], 'argocd');
  const stagingStage = stage(staging, [devStage.id], 'argocd');
  const productionStage = stage(production, [qaStage.id, stagingStage.id], 'argocd');
  const stages = [productionStage, devStage, qaStage, stagingStage];

  const release = (version: string, sha: string, minutes: number, notes = ''): Release =>
    releaseSchema.parse({
      id: id(),
      serviceId: service.id,
      serviceSlug: service.slug,
      version,
      commitSha: sha.padEnd(40, '0'),
      artifactRef: null,
      notes,
      source: 'webhook',
      quarantine: null,
      createdAt: at(minutes),
    });
  const v150 = release('v1.5.0', 'abc1234', -60, 'Faster checkout');
  const v142 = release('v1.4.2', 'fed9876', -3000, 'Fix rounding');
  const v141 = release('v1.4.1', '0a0b0c0', -5000);

  const ref = (r: Release) => ({
    id: r.id,
    version: r.version,
    commitSha: r.commitSha,
    createdAt: r.createdAt,
  });
  const cell = (environment: Environment, stageId: string, current: Release | null) => ({
    stageId,
    environmentId: environment.id,
    driverKind: stageId === devStage.id ? ('sandbox' as const) : ('argocd' as const),
    current: current ? ref(current) : null,
    deployedAt: current ? at(-30) : null,
    lastDeployment: current
      ? {
          id: id(),
          status: 'succeeded' as const,
          kind: 'promote' as const,
          breakGlass: false,
          release: ref(current),
          createdAt: at(-35),
          finishedAt: at(-30),
        }
      : null,
    health: current ? ('healthy' as const) : ('unknown' as const),
    healthMessage: '',
    lock: null,
    hold: null,
    waiting: null,
  });
  const board: Board = boardSchema.parse({
    environments,
    generatedAt: at(0),
    rows: [
      {
        service: { id: id(), slug: 'checkout-api-v2', name: 'Checkout API v2', team: null },
        cells: {},
      },
      {
        service: { id: service.id, slug: service.slug, name: service.name, team: service.team },
        cells: {
          [dev.id]: cell(dev, devStage.id, v150),
          [qa.id]: cell(qa, qaStage.id, v150),
          [staging.id]: cell(staging, stagingStage.id, v142),
          [production.id]: cell(production, productionStage.id, v142),
        },
      },
    ],
  });
  return { service, environments, stages, releases: [v150, v142, v141], board, dev, staging, production };
}

export function buildDeployment(patch: Partial<Deployment> = {}): Deployment {
  return deploymentSchema.parse({
    id: id(),
    stageId: id(),
    serviceSlug: 'checkout-api',
    environmentSlug: 'staging',
    release: { id: id(), version: 'v1.5.0', commitSha: 'abc1234'.padEnd(40, '0') },
    kind: 'promote',
    status: 'succeeded',
    requestedBy: 'Ana Lima',
    reason: 'Ship the faster checkout',
    driverKind: 'sandbox',
    driverExternalId: null,
    driverUrl: null,
    error: null,
    breakGlass: false,
    trainId: null,
    createdAt: at(-20),
    queuedAt: at(-20),
    startedAt: at(-19),
    finishedAt: at(-15),
    deadlineAt: at(10),
    ...patch,
  });
}

export function buildDeploymentDetail(patch: Partial<DeploymentDetail> = {}): DeploymentDetail {
  const base = buildDeployment(patch);
  return deploymentDetailSchema.parse({
    ...base,
    gates: patch.gates ?? [],
    verification: patch.verification ?? null,
    events: patch.events ?? [
      {
        id: '3',
        fromStatus: 'running',
        toStatus: 'verifying',
        message: 'Rollout complete',
        actor: 'runner',
        createdAt: at(-17),
      },
      {
        id: '1',
        fromStatus: null,
        toStatus: 'queued',
        message: 'Requested',
        actor: 'Ana Lima',
        createdAt: at(-20),
      },
      {
        id: '2',
        fromStatus: 'queued',
        toStatus: 'running',
        message: 'Driver started',
        actor: 'runner',
        createdAt: at(-19),
      },
    ],
  });
}
