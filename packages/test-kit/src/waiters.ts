// Conditions a test waits for, checked whenever a fake server sees something (no polling, no sleeps).
export interface Waiters {
  // Call after every change a predicate may depend on.
  notify(): void;
  waitFor(predicate: () => boolean, timeoutMs: number): Promise<void>;
}

export function createWaiters(name: string): Waiters {
  const waiters = new Set<() => void>();
  return {
    notify() {
      for (const waiter of [...waiters]) waiter();
    },
    waitFor(predicate, timeoutMs) {
      if (predicate()) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!predicate()) return;
          cleanup();
          resolve();
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`${name}: condition not met within ${timeoutMs} ms`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
      });
    },
  };
}
