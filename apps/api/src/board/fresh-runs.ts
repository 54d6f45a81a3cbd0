// Wraps `task` so that every caller gets the result of a run that started after it called: one already
// under way may have read the world before the caller's reason to ask. Callers that arrive while a run is
// in flight share the next one (at most one is queued), so any number of concurrent callers costs two runs.
export function freshRuns<T>(task: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | null = null;
  let queued: Promise<T> | null = null;
  const run = (): Promise<T> => {
    if (!inFlight) {
      const current: Promise<T> = task().finally(() => {
        if (inFlight === current) inFlight = null;
      });
      inFlight = current;
      return current;
    }
    queued ??= inFlight
      .catch(() => undefined)
      .then(() => {
        queued = null;
        return run();
      });
    return queued;
  };
  return run;
}
