// Every query key comes from here, so invalidation and the live stream's patches (features/live) can target them.
export const queryKeys = {
  auth: {
    session: () => ['auth', 'session'] as const,
  },
  instance: () => ['instance'] as const,
  board: {
    all: () => ['board'] as const,
  },
  environments: () => ['environments'] as const,
  services: {
    detail: (slug: string) => ['services', slug] as const,
    stages: (slug: string) => ['services', slug, 'stages'] as const,
    releases: (slug: string) => ['services', slug, 'releases'] as const,
    // Under the board's prefix, so whatever refreshes the board refreshes this service's slice of it too.
    board: (slug: string) => ['board', 'service', slug] as const,
    // The few newest releases, for pickers; the service page pages through the full list under `releases`.
    recentReleases: (slug: string) => ['services', slug, 'releases', 'recent'] as const,
  },
  serviceList: () => ['service-list'] as const,
  // Under the board's prefix: whatever refreshes the board (live events, a lock) re-evaluates the gates too.
  preview: (stageId: string, releaseId: string | null) =>
    ['board', 'preview', stageId, releaseId ?? 'next'] as const,
  // Under the board's prefix too: a stage.updated event (a rollback finishing, a hold) refreshes the options.
  rollback: (stageId: string) => ['board', 'rollback', stageId] as const,
  freezes: {
    all: () => ['freezes'] as const,
  },
  deployments: {
    all: () => ['deployments'] as const,
    list: (filters: Readonly<Record<string, string>>) => ['deployments', 'list', filters] as const,
    detail: (id: string) => ['deployments', 'detail', id] as const,
    // Under the deployments prefix: each deployment.updated event refreshes the trains it belongs to.
    train: (id: string) => ['deployments', 'train', id] as const,
    // Under the deployments prefix too: each deployment.updated event refreshes the inbox and the decision.
    approval: (id: string) => ['deployments', 'detail', id, 'approval'] as const,
    evidence: (id: string) => ['deployments', 'detail', id, 'evidence'] as const,
    approvals: (scope: 'mine' | 'pending' | 'all') => ['deployments', 'approvals', scope] as const,
    approvalsAll: () => ['deployments', 'approvals'] as const,
  },
  policies: {
    all: () => ['policies'] as const,
    environment: (slug: string) => ['policies', 'environment', slug] as const,
  },
  tokens: {
    mine: () => ['tokens', 'mine'] as const,
  },
  users: {
    all: () => ['users'] as const,
    list: (q: string) => ['users', 'list', q] as const,
  },
  teams: {
    all: () => ['teams'] as const,
  },
  grants: {
    all: () => ['grants'] as const,
    environment: (slug: string) => ['grants', slug] as const,
  },
  audit: {
    all: () => ['audit'] as const,
    events: (filters: Readonly<Record<string, string>>) => ['audit', 'events', filters] as const,
    verification: () => ['audit', 'verification'] as const,
  },
  // Figures over a period; deployments finishing make them stale, so they refetch on the next visit.
  deliveryMetrics: (query: Readonly<Record<string, string | undefined>>) =>
    ['delivery-metrics', query] as const,
  // Under the service's prefix: a stage.updated event (which refreshes the service) refreshes it too.
  stage: (serviceSlug: string, id: string) => ['services', serviceSlug, 'stages', id] as const,
  stageVerification: (serviceSlug: string, id: string) =>
    ['services', serviceSlug, 'stages', id, 'verification'] as const,
} as const;
