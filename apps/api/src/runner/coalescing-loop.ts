export interface CoalescingLoopOptions {
  // One pass of the background work.
  readonly pass: () => Promise<void>;
  // A failed pass is reported here; later passes still run.
  readonly onError: (error: unknown) => void;
  // Called after each pass that succeeded (e.g. to log that an outage ended).
  readonly onSuccess?: () => void;
}

interface Waiter {
  readonly promise: Promise<void>;
  readonly resolve: (value: void | Promise<void>) => void;
}

// Runs a background pass at most once at a time. Requests made while a pass runs (the interval, a
// wake-up after a request) fold into one re-run right after it, so nothing requested is missed and
// a burst of requests costs one extra pass, not one each.
export class CoalescingLoop {
  private running: Promise<void> | null = null;
  private rerun: Waiter | null = null;
  private stopped = false;

  constructor(private readonly options: CoalescingLoopOptions) {}

  // Resolves when a pass that started after this call has finished (at once once stopped). Never rejects.
  request(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (!this.running) return this.start();
    this.rerun ??= waiter();
    return this.rerun.promise;
  }

  // No new passes from now on; resolves when the pass under way (if any) has finished.
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  private start(): Promise<void> {
    const run = this.runPass().then(() => {
      // Hand over synchronously, so a request arriving now can never start a second pass alongside.
      this.running = null;
      const rerun = this.rerun;
      this.rerun = null;
      if (rerun) rerun.resolve(this.stopped ? undefined : this.start());
    });
    this.running = run;
    return run;
  }

  private async runPass(): Promise<void> {
    try {
      await this.options.pass();
      this.options.onSuccess?.();
    } catch (error) {
      this.report(error);
    }
  }

  private report(error: unknown): void {
    try {
      this.options.onError(error);
    } catch {
      // A reporter that throws must not stop the loop.
    }
  }
}

function waiter(): Waiter {
  let resolve!: (value: void | Promise<void>) => void;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}
