// Every query key comes from here, so invalidation (and the SSE patches to come) can target them.
export const queryKeys = {
  instance: () => ['instance'] as const,
  board: {
    all: () => ['board'] as const,
  },
} as const;
