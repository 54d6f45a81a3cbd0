// Every query key comes from here, so invalidation (and the SSE patches to come) can target them.
export const queryKeys = {
  auth: {
    session: () => ['auth', 'session'] as const,
  },
  instance: () => ['instance'] as const,
  board: {
    all: () => ['board'] as const,
  },
  environments: () => ['environments'] as const,
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
} as const;
